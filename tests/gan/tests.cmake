# GAN extra registrations: the transposed convolution against PyTorch (/usr/bin/python3 with torch).
if(TARGET test_gan AND EXISTS /usr/bin/python3)
  add_test(NAME gan_convt_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/convt_vs_torch.py $<TARGET_FILE:test_gan>)
endif()

# The mode-collapse preset must collapse and the ring preset must not (a few seconds of training).
if(TARGET test_gan)
  add_test(NAME gan_mode_collapse COMMAND test_gan "--test-case=*mode-collapse*" --no-skip)
  set_tests_properties(gan_mode_collapse PROPERTIES LABELS slow)
endif()

# Eigen parallelises GEMMs with OpenMP; on a shared 2-core machine the small GAN matrices run far
# faster (and without spinning threads) on one thread.
if(TARGET test_gan)
  set_tests_properties(gan gan_mode_collapse gan_convt_vs_torch PROPERTIES ENVIRONMENT OMP_NUM_THREADS=1)
endif()

# The CLI (needs the glassbox binary, built with the app).
if(TARGET glassbox)
  add_test(NAME gan_cli_train2d
           COMMAND glassbox train gan --preset mode-collapse --steps 30 --seed 2 --out ${CMAKE_BINARY_DIR}/gan2d_cli.safetensors)
  set_tests_properties(gan_cli_train2d PROPERTIES PASS_REGULAR_EXPRESSION "modes covered" ENVIRONMENT OMP_NUM_THREADS=1)
  add_test(NAME gan_cli_sample
           COMMAND glassbox sample gan --class Coat --n 4 --seed 1 --out ${CMAKE_BINARY_DIR}/gan_cli_coat.png)
  set_tests_properties(gan_cli_sample PROPERTIES PASS_REGULAR_EXPRESSION "wrote .*4 images" ENVIRONMENT OMP_NUM_THREADS=1)
  add_test(NAME gan_cli_bad_class COMMAND glassbox sample gan --class Hat --out ${CMAKE_BINARY_DIR}/gan_cli_bad.npy)
  set_tests_properties(gan_cli_bad_class PROPERTIES PASS_REGULAR_EXPRESSION "unknown class `Hat`")
  add_test(NAME gan_cli_bad_lr COMMAND glassbox train gan --data ring --lr nan --out ${CMAKE_BINARY_DIR}/gan_cli_bad.safetensors)
  set_tests_properties(gan_cli_bad_lr PROPERTIES PASS_REGULAR_EXPRESSION "not a number")
endif()
