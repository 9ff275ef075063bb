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
# `train diffusion --channels C0,C1`: the U-Net's width, said before training and stored in the model's config;
# bad widths are refused with the flag named.
if(TARGET glassbox)
  set(_x sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh)
  set(_g $<TARGET_FILE:glassbox>)
  add_test(NAME diffusion_cli_channels
           COMMAND ${_x} 0 "channels 16 at 14×14, 24 at 7×7; [0-9]+ parameters" ${_g} train diffusion --channels 16,24 --steps 2
                   --batch 4 --fresh --out ${CMAKE_BINARY_DIR}/diffusion_cli_tiny.safetensors)
  add_test(NAME diffusion_cli_channels_not_groups
           COMMAND ${_x} 2 "--channels: both must be multiples of 8" ${_g} train diffusion --channels 20,24 --out ${CMAKE_BINARY_DIR}/diffusion_cli_never.safetensors)
  add_test(NAME diffusion_cli_channels_malformed
           COMMAND ${_x} 2 "--channels: expected two widths 1–256 like 48,96, got `48`" ${_g} train diffusion --channels 48 --out ${CMAKE_BINARY_DIR}/diffusion_cli_never.safetensors)
  add_test(NAME diffusion_cli_channels_toy
           COMMAND ${_x} 2 "--channels: only for --data fashion-mnist" ${_g} train diffusion --data moons --channels 16,16 --out ${CMAKE_BINARY_DIR}/diffusion_cli_never.safetensors)
endif()
