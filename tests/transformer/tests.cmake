# Transformer extra registrations. Each helper keeps its own headed section.

# [SECTION] training (H4): the whole GPT's logits, loss, gradients and AdamW steps against PyTorch
# (/usr/bin/python3 with Debian's python3-torch; the script writes the reference and runs the case).
if(TARGET test_transformer AND EXISTS /usr/bin/python3)
  add_test(NAME transformer_train_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/ref_train/train_vs_torch.py $<TARGET_FILE:test_transformer>)
endif()

# [SECTION] GPT inference (H3): Hugging Face-format checkpoints built by a PyTorch GPT-2 (Conv1D
# layout, F32/F16/BF16) load and agree with PyTorch, uncached and cached.
if(TARGET test_transformer AND EXISTS /usr/bin/python3)
  add_test(NAME transformer_gpt_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/ref/gpt_vs_torch.py $<TARGET_FILE:test_transformer>
                   ${CMAKE_BINARY_DIR}/gpt_vs_torch)
  set_tests_properties(transformer_gpt_vs_torch PROPERTIES LABELS torch)
endif()

# [SECTION] tokenizer (H2): GPT-2 tokenization against two independent JavaScript implementations
# (npm's gpt-3-encoder and gpt-tokenizer, fetched by glassbox.sh into .cache/npm, never committed)
# on hand-picked tricky strings plus 2000 seeded random ones; skipped (exit 77) only when node, the
# npm packages or assets/gpt2 are missing. Then `glassbox tokenize` through a window-less driver.
if(TARGET test_transformer)
  add_executable(gpt2_batch ${CMAKE_CURRENT_LIST_DIR}/tokenizer_ref/gpt2_batch.cpp)
  target_link_libraries(gpt2_batch PRIVATE gb_transformer)
  find_program(GLASSBOX_NODE node)
  if(GLASSBOX_NODE)
    add_test(NAME transformer_gpt2_vs_js
             COMMAND ${GLASSBOX_NODE} ${CMAKE_CURRENT_LIST_DIR}/tokenizer_ref/gpt2_reference.js
                     ${CMAKE_SOURCE_DIR}/.cache/npm $<TARGET_FILE:gpt2_batch> ${CMAKE_SOURCE_DIR}/assets/gpt2)
  else()
    add_test(NAME transformer_gpt2_vs_js COMMAND sh -c "echo 'SKIP: node not found'; exit 77")
  endif()
  set_tests_properties(transformer_gpt2_vs_js PROPERTIES SKIP_RETURN_CODE 77)

  add_executable(gb_cli_headless ${CMAKE_CURRENT_LIST_DIR}/tokenizer_ref/cli_main.cpp)
  target_link_libraries(gb_cli_headless PRIVATE glassbox_lib)
  set(_gpt2 ${CMAKE_SOURCE_DIR}/assets/gpt2)
  add_test(NAME cli_tokenize_json
           COMMAND gb_cli_headless tokenize --tokenizer ${_gpt2} --text "Hello world" --json)
  set_tests_properties(cli_tokenize_json PROPERTIES
                       PASS_REGULAR_EXPRESSION "^{\"ids\":\\[15496,995\\],\"tokens\":\\[\"Hello\",\" world\"\\]}"
                       SKIP_REGULAR_EXPRESSION "no such folder")
  # A token that is part of a character shows its bytes, never U+FFFD.
  add_test(NAME cli_tokenize_partial_utf8
           COMMAND gb_cli_headless tokenize --tokenizer ${_gpt2} --text " 日本語" --json)
  set_tests_properties(cli_tokenize_partial_utf8 PROPERTIES
                       PASS_REGULAR_EXPRESSION "\"tokens\":\\[\" <E6>\""
                       FAIL_REGULAR_EXPRESSION "�"
                       SKIP_REGULAR_EXPRESSION "no such folder")
  add_test(NAME cli_tokenize_steps
           COMMAND gb_cli_headless tokenize --tokenizer ${_gpt2} --text "lower" --steps)
  set_tests_properties(cli_tokenize_steps PROPERTIES
                       PASS_REGULAR_EXPRESSION "step 1 +merge #[0-9]+ \\[[a-z]+\\]\\+\\[[a-z]+\\]"
                       SKIP_REGULAR_EXPRESSION "no such folder")
  add_test(NAME cli_tokenize_bad_flag COMMAND gb_cli_headless tokenize --text x --bogus)
  set_tests_properties(cli_tokenize_bad_flag PROPERTIES WILL_FAIL TRUE)
  add_test(NAME cli_tokenize_missing_tokenizer
           COMMAND gb_cli_headless tokenize --tokenizer ${CMAKE_BINARY_DIR}/no_such_tokenizer --text x)
  set_tests_properties(cli_tokenize_missing_tokenizer PROPERTIES
                       PASS_REGULAR_EXPRESSION "no_such_tokenizer: no such file or folder")
endif()

# [SECTION] generate CLI (H3): `glassbox generate` end to end through gb_cli_headless, on the Hugging
# Face folder transformer_gpt_vs_torch builds (fixture) and the shipped stories checkpoint if present.
if(TARGET test_transformer AND EXISTS /usr/bin/python3)
  set_tests_properties(transformer_gpt_vs_torch PROPERTIES FIXTURES_SETUP gpt_ref_folders)
  add_test(NAME cli_generate
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/ref/cli_generate_check.py $<TARGET_FILE:gb_cli_headless>
                   ${CMAKE_BINARY_DIR}/gpt_vs_torch/mixed ${CMAKE_SOURCE_DIR}/assets/models/stories-gpt.safetensors)
  set_tests_properties(cli_generate PROPERTIES FIXTURES_REQUIRED gpt_ref_folders LABELS torch)
endif()

# [SECTION] training CLI (H4): `glassbox train transformer` through the window-less driver: a tiny
# run end to end, its report, and a usage error (exit 2).
if(TARGET gb_cli_headless)
  add_test(NAME transformer_train_cli_tiny
           COMMAND gb_cli_headless train transformer --corpus tiny --layers 1 --heads 2 --width 32 --context 32 --steps 20
                   --val-every 10 --checkpoint-every 10 --out ${CMAKE_BINARY_DIR}/test-train-tiny.safetensors)
  set_tests_properties(transformer_train_cli_tiny PROPERTIES FIXTURES_SETUP train_tiny
                       PASS_REGULAR_EXPRESSION "trained 20 steps")
  add_test(NAME transformer_train_cli_report
           COMMAND gb_cli_headless train transformer --report ${CMAKE_BINARY_DIR}/test-train-tiny.safetensors)
  set_tests_properties(transformer_train_cli_report PROPERTIES FIXTURES_REQUIRED train_tiny
                       PASS_REGULAR_EXPRESSION "trained by: glassbox train transformer --corpus tiny")
  add_test(NAME transformer_train_cli_bad_flag COMMAND gb_cli_headless train transformer --no-such-flag --out x)
  set_tests_properties(transformer_train_cli_bad_flag PROPERTIES WILL_FAIL TRUE)
endif()
