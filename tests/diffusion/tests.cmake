# Diffusion extra registrations: conv2d/groupnorm and the U-Net against PyTorch (/usr/bin/python3 with torch).
if(TARGET test_diffusion AND EXISTS /usr/bin/python3)
  add_test(NAME diffusion_conv_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/conv_vs_torch.py $<TARGET_FILE:test_diffusion>)
endif()
if(TARGET test_diffusion AND EXISTS /usr/bin/python3)
  add_test(NAME diffusion_unet_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/unet_vs_torch.py $<TARGET_FILE:test_diffusion>)
endif()
# Quality of the shipped model (slow: samples 30 images per class): labelled as asked and varied.
if(TARGET glassbox AND EXISTS /usr/bin/python3 AND EXISTS ${CMAKE_SOURCE_DIR}/assets/models/fashion-diffusion.safetensors)
  add_test(NAME diffusion_quality
           COMMAND ${CMAKE_SOURCE_DIR}/tools/diffusion_quality.sh $<TARGET_FILE:glassbox>
                   ${CMAKE_SOURCE_DIR}/assets/models/fashion-diffusion.safetensors 30 --min-accuracy 0.95 --min-diversity 0.5)
  set_tests_properties(diffusion_quality PROPERTIES LABELS "slow;quality" TIMEOUT 1800)
endif()
