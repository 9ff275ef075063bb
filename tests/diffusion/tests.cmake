# Diffusion extra registrations: conv2d/groupnorm and the U-Net against PyTorch (/usr/bin/python3 with torch).
if(TARGET test_diffusion AND EXISTS /usr/bin/python3)
  add_test(NAME diffusion_conv_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/conv_vs_torch.py $<TARGET_FILE:test_diffusion>)
endif()
if(TARGET test_diffusion AND EXISTS /usr/bin/python3)
  add_test(NAME diffusion_unet_vs_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/unet_vs_torch.py $<TARGET_FILE:test_diffusion>)
endif()
