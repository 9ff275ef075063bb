# VAE extra registrations: the engine against PyTorch on the same weights, and the CLI's handling of
# good and bad input (needs the glassbox binary and, for the shipped-model checks, the assets).
if(TARGET test_vae AND EXISTS /usr/bin/python3)
  add_test(NAME vae_vs_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/vae_vs_torch.py $<TARGET_FILE:test_vae>)
endif()
if(TARGET test_vae)
  set_tests_properties(vae PROPERTIES ENVIRONMENT OMP_NUM_THREADS=1)
endif()
if(TARGET glassbox)
  set(_x sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh)
  set(_g $<TARGET_FILE:glassbox>)
  set(_d ${CMAKE_BINARY_DIR}/vae_cli)
  file(MAKE_DIRECTORY ${_d})
  # Bad input files, written by a tiny script at test time: wrong dtype, wrong shape, NaN latents, a corrupt model.
  add_test(NAME vae_cli_make_inputs
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/make_bad_inputs.sh ${_d})
  set_tests_properties(vae_cli_make_inputs PROPERTIES FIXTURES_SETUP vae_inputs)
  add_test(NAME vae_cli_train_tiny
           COMMAND ${_x} 0 "negative ELBO" ${_g} train vae --data fashion-mnist --hidden 16,8 --steps 30 --batch 16
                   --seed 3 --fresh --out ${_d}/tiny.safetensors)
  set_tests_properties(vae_cli_train_tiny PROPERTIES FIXTURES_SETUP vae_tiny ENVIRONMENT OMP_NUM_THREADS=1)
  add_test(NAME vae_cli_encode_decode
           COMMAND sh -c "${_g} vae encode --model ${_d}/tiny.safetensors --in ${_d}/images.npy --out ${_d}/z.npy && ${_g} vae decode --model ${_d}/tiny.safetensors --in ${_d}/z.npy --out ${_d}/back.npy && ${_g} vae decode --model ${_d}/tiny.safetensors --in ${_d}/z.npy --out ${_d}/back.png")
  set_tests_properties(vae_cli_encode_decode PROPERTIES FIXTURES_REQUIRED "vae_inputs;vae_tiny" PASS_REGULAR_EXPRESSION "wrote .*back.png: 3 images")
  add_test(NAME vae_cli_encode_wrong_dtype
           COMMAND ${_x} 1 "images_f32.npy: images must be uint8" ${_g} vae encode --model ${_d}/tiny.safetensors --in ${_d}/images_f32.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_encode_wrong_shape
           COMMAND ${_x} 1 "images_27.npy: images must have shape \\[N,28,28\\] with N ≥ 1, not \\[3,27,28\\]" ${_g} vae encode --model ${_d}/tiny.safetensors --in ${_d}/images_27.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_encode_not_npy
           COMMAND ${_x} 1 "garbage.npy: not a .npy file" ${_g} vae encode --model ${_d}/tiny.safetensors --in ${_d}/garbage.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_decode_nan
           COMMAND ${_x} 1 "z_nan.npy: row 1 holds a non-finite value" ${_g} vae decode --model ${_d}/tiny.safetensors --in ${_d}/z_nan.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_decode_wrong_width
           COMMAND ${_x} 1 "z_3.npy: latents must have shape \\[N,2\\]" ${_g} vae decode --model ${_d}/tiny.safetensors --in ${_d}/z_3.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_corrupt_model
           COMMAND ${_x} 1 "corrupt.safetensors: " ${_g} vae decode --model ${_d}/corrupt.safetensors --in ${_d}/z.npy --out ${_d}/never.npy)
  add_test(NAME vae_cli_sample_corrupt_model
           COMMAND ${_x} 1 "corrupt.safetensors: " ${_g} sample vae --model ${_d}/corrupt.safetensors --out ${_d}/never.png)
  # The fitted prior: a tiny conditional model with 2 Gaussians per class; `sample vae` uses it by default and says so,
  # --prior standard draws from N(0, I); a model without one falls back to N(0, I) and says that too.
  add_test(NAME vae_cli_train_tiny_fitted_prior
           COMMAND ${_x} 0 "negative ELBO" ${_g} train vae --data fashion-mnist --conditional --latent 3 --hidden 16,8
                   --steps 30 --batch 16 --seed 3 --prior-components 2 --fresh --out ${_d}/tiny_prior.safetensors)
  set_tests_properties(vae_cli_train_tiny_fitted_prior PROPERTIES FIXTURES_SETUP vae_tiny_prior ENVIRONMENT OMP_NUM_THREADS=1)
  add_test(NAME vae_cli_sample_fitted_prior
           COMMAND ${_x} 0 "prior fitted, 2 Gaussians per class" ${_g} sample vae --model ${_d}/tiny_prior.safetensors --n 3 --out ${_d}/fitted.npy)
  add_test(NAME vae_cli_sample_standard_prior
           COMMAND ${_x} 0 "prior N\\(0, I\\)\\)" ${_g} sample vae --model ${_d}/tiny_prior.safetensors --n 3 --prior standard --out ${_d}/standard.npy)
  set_tests_properties(vae_cli_sample_fitted_prior vae_cli_sample_standard_prior PROPERTIES FIXTURES_REQUIRED vae_tiny_prior)
  add_test(NAME vae_cli_sample_no_fitted_prior
           COMMAND ${_x} 0 "prior N\\(0, I\\): the model has no fitted prior" ${_g} sample vae --model ${_d}/tiny.safetensors --n 3 --out ${_d}/nofit.npy)
  set_tests_properties(vae_cli_sample_no_fitted_prior PROPERTIES FIXTURES_REQUIRED vae_tiny)
  add_test(NAME vae_cli_sample_bad_prior_word
           COMMAND ${_x} 2 "prior maybe: expected fitted, standard" ${_g} sample vae --model ${_d}/tiny.safetensors --prior maybe --out ${_d}/never.npy)
  add_test(NAME vae_cli_sample_unconditional_class
           COMMAND ${_x} 2 "is an unconditional VAE" ${_g} sample vae --model ${_d}/tiny.safetensors --class Coat --out ${_d}/never.png)
  add_test(NAME vae_cli_sample_tiny
           COMMAND ${_x} 0 "wrote 12 images" ${_g} sample vae --model ${_d}/tiny.safetensors --n 12 --temperature 0.5 --out ${_d}/tiny.png)
  set_tests_properties(vae_cli_encode_wrong_dtype vae_cli_encode_wrong_shape vae_cli_encode_not_npy vae_cli_decode_nan
                       vae_cli_decode_wrong_width vae_cli_corrupt_model vae_cli_sample_corrupt_model
                       vae_cli_sample_unconditional_class vae_cli_sample_tiny
                       PROPERTIES FIXTURES_REQUIRED "vae_inputs;vae_tiny")
  add_test(NAME vae_cli_bad_beta COMMAND ${_x} 2 "beta -1: out of range 0–100" ${_g} train vae --beta -1 --out ${_d}/never.safetensors)
  add_test(NAME vae_cli_bad_temperature COMMAND ${_x} 2 "temperature `nan`: not a number" ${_g} sample vae --temperature nan --out ${_d}/never.png)
  # The shipped models: a conditional sample grid and the 2D model's encode of real-shaped images.
  if(EXISTS ${CMAKE_SOURCE_DIR}/assets/models/fashion-cvae.safetensors)
    add_test(NAME vae_cli_sample_shipped
             COMMAND ${_x} 0 "wrote 30 images" ${_g} sample vae --class all --n 3 --seed 1 --out ${_d}/shipped.npy)
  endif()
endif()
# Quality of the shipped models against a PyTorch VAE of the same size and recipe (slow: trains the
# two 6000-step PyTorch twins once, ~9 CPU-minutes each, cached in ~/.cache/glassbox). The threshold
# is the issue's goal, 90% of conditional samples labelled as asked; the shipped CVAE gives 85%.
if(TARGET glassbox AND EXISTS /usr/bin/python3 AND EXISTS ${CMAKE_SOURCE_DIR}/assets/models/fashion-cvae.safetensors)
  add_test(NAME quality_vae
           COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/quality/vae_torch.py compare $<TARGET_FILE:glassbox>
                   ${CMAKE_SOURCE_DIR}/assets/models/fashion-vae-2d.safetensors
                   ${CMAKE_SOURCE_DIR}/assets/models/fashion-cvae.safetensors --min-accuracy 0.9)
  set_tests_properties(quality_vae PROPERTIES LABELS "slow;quality" TIMEOUT 3600)
endif()
