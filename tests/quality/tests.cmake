# Quality checks with the independent PyTorch Fashion-MNIST classifier (tests/quality/fashion_classifier.py,
# /usr/bin/python3 + torch). The classifier's weights ship beside it (fashion_classifier.pt, checked by SHA-256);
# sampling 1000 images per family takes minutes, so these are labelled slow.
if(EXISTS /usr/bin/python3)
  set(GB_FASHION_CLASSIFIER ${CMAKE_CURRENT_LIST_DIR}/fashion_classifier.py)
  # The measures themselves: real images score high accuracy and diversity ≈ 1, a collapsed set 0.
  add_test(NAME quality_classifier_selftest COMMAND /usr/bin/python3 ${GB_FASHION_CLASSIFIER} selftest)
  set_tests_properties(quality_classifier_selftest PROPERTIES LABELS "slow;quality")
  if(TARGET glassbox)
    # The shipped GAN: ≥ 90% of 1000 samples (100 per class) labelled as the class asked for, and
    # every class at least 0.3 of real images' diversity (feature space; a collapsed class scores ~0).
    add_test(NAME quality_gan
             COMMAND sh -c "OMP_NUM_THREADS=1 '$<TARGET_FILE:glassbox>' sample gan --class all --n 100 --seed 42 --out '${CMAKE_BINARY_DIR}/quality_gan.npy' && /usr/bin/python3 '${GB_FASHION_CLASSIFIER}' score '${CMAKE_BINARY_DIR}/quality_gan.npy' --min-accuracy 0.9 --min-diversity 0.3")
    set_tests_properties(quality_gan PROPERTIES LABELS "slow;quality")
    # One table: every shipped image family (diffusion, GAN, conditional VAE) beside real images, with class
    # accuracy, the Fréchet distance on the classifier's features and the lowest class diversity.
    add_test(NAME quality_table
             COMMAND sh -c "OMP_NUM_THREADS=2 /usr/bin/python3 '${CMAKE_CURRENT_LIST_DIR}/quality_table.py' '$<TARGET_FILE:glassbox>'")
    set_tests_properties(quality_table PROPERTIES LABELS "slow;quality")
  endif()
endif()
