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
