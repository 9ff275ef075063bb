# The keyboard shortcut table (src/app/keys.cpp, no ImGui in it): every entry runs a real command, no key is
# bound twice or taken from keyboard navigation and text fields. Compiled straight from src/app/keys.cpp.
find_path(GB_GLFW_INCLUDE GLFW/glfw3.h)  # key codes only; nothing links GLFW
if(GB_GLFW_INCLUDE)
  add_executable(test_keys ${CMAKE_CURRENT_LIST_DIR}/../doctest_main.cpp ${CMAKE_CURRENT_LIST_DIR}/test_keys.cpp
                           ${CMAKE_SOURCE_DIR}/src/app/keys.cpp)
  target_include_directories(test_keys PRIVATE ${CMAKE_SOURCE_DIR}/src ${GB_GLFW_INCLUDE})
  target_link_libraries(test_keys PRIVATE glassbox_lib doctest::doctest)
  add_test(NAME keys COMMAND test_keys WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
endif()

# Through the real app under Xvfb: keys pressed by `press` (Ctrl+3 → the GAN workspace, F8 → a step, Ctrl+Tab and
# arrows → keyboard navigation), a key name that is not one, and screenshot --cvd.
find_program(GB_XVFB_RUN xvfb-run)
if(GLASSBOX_BUILD_APP AND TARGET glassbox AND GB_XVFB_RUN)
  set(_xvfb ${GB_XVFB_RUN} -a -s "-screen 0 1920x1080x24")
  set(_shots ${CMAKE_BINARY_DIR}/test_screenshots)
  file(MAKE_DIRECTORY ${_shots})
  add_test(NAME app_keys_press_navigation
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 0 "^wrote " ${_xvfb} $<TARGET_FILE:glassbox> screenshot
                   --view transformer --out ${_shots}/keys-press.png --size 1280x720 --scale 2
                   --do "press Ctrl+3 F8 F8 Ctrl+Tab Down Right")
  add_test(NAME app_keys_press_bad_key
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 1 "press: `Hyper\\+X` is not a key" ${_xvfb}
                   $<TARGET_FILE:glassbox> screenshot --view gan --out ${_shots}/keys-bad.png --do "press F8 Hyper+X")
  add_test(NAME app_screenshot_cvd_deuteranopia
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 0 "^wrote " ${_xvfb} $<TARGET_FILE:glassbox> screenshot
                   --view vae.map --out ${_shots}/cvd-deuteranopia.png --size 1280x720 --cvd deuteranopia)
  add_test(NAME app_screenshot_cvd_unknown
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 2 "--cvd: expected deuteranopia, protanopia or tritanopia"
                   ${_xvfb} $<TARGET_FILE:glassbox> screenshot --view gan --out ${_shots}/cvd-bad.png --cvd red-green)
  set_tests_properties(app_keys_press_navigation app_keys_press_bad_key app_screenshot_cvd_deuteranopia
                       app_screenshot_cvd_unknown PROPERTIES LABELS "app;keys" TIMEOUT 60)
endif()
