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
