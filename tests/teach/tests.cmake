# Issue 18 (teach18): fine-tuning, LoRA, DPO and retrieval. The engine's doctest cases live in
# tests/transformer/test_teach.cpp; this file registers the PyTorch comparison and the CLI runs.
# (Included before tests/transformer/tests.cmake defines gb_cli_headless: add_test resolves the
# target name at generation time, so only test_transformer is checked here.)
if(TARGET test_transformer)
  set(_teach ${CMAKE_SOURCE_DIR}/assets/teach)
  set(_out ${CMAKE_BINARY_DIR}/teach)
  file(MAKE_DIRECTORY ${_out})

  # [SECTION] PyTorch: LoRA loss and adapter gradients, DPO loss, u and every gradient
  if(EXISTS /usr/bin/python3)
    add_test(NAME teach_lora_dpo_vs_torch
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/teach_vs_torch.py $<TARGET_FILE:test_transformer>)
    set_tests_properties(teach_lora_dpo_vs_torch PROPERTIES LABELS torch)
  endif()

  # [SECTION] finetune: LoRA and full runs on a shipped corpus; the tuned model loads and generates
  add_test(NAME cli_finetune_lora
           COMMAND gb_cli_headless finetune --corpus ${_teach}/sea-stories.txt --lora 4 --steps 3 --batch 2 --context 32
                   --out ${_out}/sea-lora.safetensors)
  set_tests_properties(cli_finetune_lora PROPERTIES FIXTURES_SETUP teach_tuned
                       PASS_REGULAR_EXPRESSION "LoRA rank 4 trains 32.8 k numbers.*wrote")
  add_test(NAME cli_finetune_full
           COMMAND gb_cli_headless finetune --corpus ${_teach}/rhyme-stories.txt --steps 2 --batch 2 --context 32 --json
                   --out ${_out}/rhyme-full.safetensors)
  set_tests_properties(cli_finetune_full PROPERTIES
                       PASS_REGULAR_EXPRESSION "\"mode\":\"full\".*\"trainable\":[0-9]+,\"parameters\":[0-9]+")
  add_test(NAME cli_finetune_tuned_model_generates
           COMMAND gb_cli_headless generate --model ${_out}/sea-lora.safetensors --prompt "Lily went to the sea." --max-new 4 --greedy)
  set_tests_properties(cli_finetune_tuned_model_generates PROPERTIES FIXTURES_REQUIRED teach_tuned
                       PASS_REGULAR_EXPRESSION "prompt \\+ 4 new tokens")
  # bad corpora: empty (only blank lines), binary (a checkpoint), missing
  file(WRITE ${_out}/empty.txt "\n  \n\n")
  add_test(NAME cli_finetune_empty_corpus COMMAND gb_cli_headless finetune --corpus ${_out}/empty.txt --steps 1 --out ${_out}/x.safetensors)
  set_tests_properties(cli_finetune_empty_corpus PROPERTIES PASS_REGULAR_EXPRESSION "empty.txt: is empty")
  add_test(NAME cli_finetune_binary_corpus
           COMMAND gb_cli_headless finetune --corpus ${CMAKE_SOURCE_DIR}/assets/models/stories-gpt.safetensors --steps 1
                   --out ${_out}/x.safetensors)
  set_tests_properties(cli_finetune_binary_corpus PROPERTIES PASS_REGULAR_EXPRESSION "stories-gpt.safetensors: is a binary file")
  add_test(NAME cli_finetune_no_steps COMMAND gb_cli_headless finetune --corpus ${_teach}/sea-stories.txt --out ${_out}/x.safetensors)
  set_tests_properties(cli_finetune_no_steps PROPERTIES PASS_REGULAR_EXPRESSION "--steps N is required")

  # [SECTION] dpo: the shipped preference pairs; malformed pair files name the line and the key
  add_test(NAME cli_dpo
           COMMAND gb_cli_headless dpo --prefs ${_teach}/prefs-happy.jsonl --steps 3 --beta 0.5 --lr 1e-3 --out ${_out}/happy.safetensors)
  set_tests_properties(cli_dpo PROPERTIES PASS_REGULAR_EXPRESSION "6 pairs, β = 0.5.*start: loss 0.6931.*wrote")
  file(WRITE ${_out}/bad-prefs.jsonl "{\"prompt\": \"Lily\", \"chosen\": \" ran\", \"rejected\": \" sat\"}\n{\"prompt\": \"Tom\", \"chosen\": 3, \"rejected\": \" x\"}\n")
  add_test(NAME cli_dpo_bad_pair COMMAND gb_cli_headless dpo --prefs ${_out}/bad-prefs.jsonl --steps 1 --out ${_out}/x.safetensors)
  set_tests_properties(cli_dpo_bad_pair PROPERTIES PASS_REGULAR_EXPRESSION "bad-prefs.jsonl: line 2.chosen")
  file(WRITE ${_out}/no-prefs.jsonl "\n\n")
  add_test(NAME cli_dpo_no_pairs COMMAND gb_cli_headless dpo --prefs ${_out}/no-prefs.jsonl --steps 1 --out ${_out}/x.safetensors)
  set_tests_properties(cli_dpo_no_pairs PROPERTIES PASS_REGULAR_EXPRESSION "no-prefs.jsonl: holds no preference pairs")

  # [SECTION] generate --facts: the retrieved facts and their scores in --json
  add_test(NAME cli_generate_facts
           COMMAND gb_cli_headless generate --facts ${_teach}/facts.txt --prompt "Lily's dog is called" --max-new 1 --greedy --json)
  set_tests_properties(cli_generate_facts PROPERTIES
                       PASS_REGULAR_EXPRESSION "\"retrieval\":{\"context\":\"Lily's dog is called Max. Lily's dog is called\".*\"used\":true")
  add_test(NAME cli_generate_facts_with_ids COMMAND gb_cli_headless generate --facts ${_teach}/facts.txt --ids 1,2)
  set_tests_properties(cli_generate_facts_with_ids PROPERTIES PASS_REGULAR_EXPRESSION "--facts needs the prompt as text")
endif()
