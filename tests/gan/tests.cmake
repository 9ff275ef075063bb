# GAN extra registrations: the transposed convolution against PyTorch (/usr/bin/python3 with torch).
if(TARGET test_gan AND EXISTS /usr/bin/python3)
  add_test(NAME gan_convt_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/convt_vs_torch.py $<TARGET_FILE:test_gan>)
endif()
