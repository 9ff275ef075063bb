# Languages in the app (issue 20 item 4): the shell at scale 2 in German and Ukrainian with the View menu opened by the
# headless pointer (a picture of the right size, not blank), and a language without a catalogue refused by name.
if(GLASSBOX_BUILD_APP AND TARGET glassbox AND TARGET png_check AND XVFB_RUN)
  foreach(_lang de uk)
    set(_shot ${CMAKE_BINARY_DIR}/test_screenshots/i18n-${_lang}-scale2.png)
    add_test(NAME i18n_screenshot_${_lang}
             COMMAND sh -c "mkdir -p ${CMAKE_BINARY_DIR}/test_screenshots && xvfb-run -a -s '-screen 0 1920x1080x24' $<TARGET_FILE:glassbox> screenshot --view lessons --lang ${_lang} --scale 2 --size 1600x900 --pointer 'click 140,20' --out ${_shot} && $<TARGET_FILE:png_check> ${_shot} 1600 900")
    set_tests_properties(i18n_screenshot_${_lang} PROPERTIES LABELS app TIMEOUT 60)
  endforeach()
  add_test(NAME i18n_screenshot_no_catalogue
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 1 "--lang zz: language \"zz\": no catalogue folder .*i18n/zz"
                   xvfb-run -a -s "-screen 0 1920x1080x24" $<TARGET_FILE:glassbox> screenshot --view lessons --lang zz --out /tmp/never.png)
  set_tests_properties(i18n_screenshot_no_catalogue PROPERTIES LABELS app)
endif()
