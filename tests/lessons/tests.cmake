# Lessons: the fixture folder for the unit tests, and `glassbox lessons check` end to end (CI runs it on
# the repository's lessons/ through a window-free build of the command line).
if(TARGET test_lessons)
  target_compile_definitions(test_lessons PRIVATE GB_LESSONS_DATA="${CMAKE_CURRENT_LIST_DIR}/data")
endif()
add_executable(gb_lessons_cli ${CMAKE_CURRENT_LIST_DIR}/cli/cli_main.cpp)
target_link_libraries(gb_lessons_cli PRIVATE glassbox_lib)
add_test(NAME lessons_check COMMAND gb_lessons_cli lessons check --dir ${CMAKE_SOURCE_DIR}/lessons)
# Runs every action of every lesson (minutes under the sanitizers): the Release stage of CI runs it.
set_tests_properties(lessons_check PROPERTIES TIMEOUT 900 LABELS slow)
add_test(NAME lessons_check_fixture COMMAND gb_lessons_cli lessons check --json --dir ${CMAKE_CURRENT_LIST_DIR}/data/good)
set_tests_properties(lessons_check_fixture PROPERTIES PASS_REGULAR_EXPRESSION "\"errors\": \\[\\][^}]*\"translations\": 1")
# Translations (DIR/<lang>/NAME.md) must act exactly as their originals: a changed command, a moved right answer and a
# translation without an original are each an error with file:line.
add_test(NAME lessons_check_translations COMMAND sh -c "$<TARGET_FILE:gb_lessons_cli> lessons check --dir ${CMAKE_CURRENT_LIST_DIR}/data/bad_translation; test $? = 1")
set_tests_properties(lessons_check_translations PROPERTIES
  PASS_REGULAR_EXPRESSION "de/01-example.md:24: step 1: commands .*transformer step 4.*de/01-example.md:[0-9]+: step 2: answer 1 is marked right.*uk/02-orphan.md:1: no English original 02-orphan.md")
# A folder of bad lessons: exit code 1 and every problem with file:line.
add_test(NAME lessons_check_bad COMMAND gb_lessons_cli lessons check --dir ${CMAKE_CURRENT_LIST_DIR}/data/bad)
set_tests_properties(lessons_check_bad PROPERTIES WILL_FAIL TRUE)
add_test(NAME lessons_check_bad_messages COMMAND sh -c "$<TARGET_FILE:gb_lessons_cli> lessons check --dir ${CMAKE_CURRENT_LIST_DIR}/data/bad; exit 0")
set_tests_properties(lessons_check_bad_messages PROPERTIES
  PASS_REGULAR_EXPRESSION "01-unknown-command.md:13: open: no panel named `transformer.nope`.*02-parse-errors.md:3: workspace.*03-commands-after-predict.md:19: this ```glassbox block comes after the ```predict block at line 11")
# A lesson step rendered with the lessons panel beside its workspace (the fixture lesson, a predict step
# answered so its reveal ran), checked for size and not blank like the other screenshots.
if(GLASSBOX_BUILD_APP AND TARGET glassbox AND TARGET png_check AND XVFB_RUN)
  set(_shot ${CMAKE_BINARY_DIR}/test_screenshots/lesson-example-3.png)
  add_test(NAME lessons_screenshot_step
           COMMAND sh -c "xvfb-run -a -s '-screen 0 1920x1080x24' $<TARGET_FILE:glassbox> screenshot --lesson example --step 3 --answer 2 --out ${_shot} --size 1280x720 --scale 1.5 && $<TARGET_FILE:png_check> ${_shot} 1280 720")
  set_tests_properties(lessons_screenshot_step PROPERTIES LABELS app TIMEOUT 60
                       ENVIRONMENT "GLASSBOX_LESSONS=${CMAKE_CURRENT_LIST_DIR}/data/good")
  add_test(NAME lessons_screenshot_bad_step
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/app/expect_exit.sh 2 "--step: 9 is past the lesson's last step"
                   xvfb-run -a -s "-screen 0 1920x1080x24" $<TARGET_FILE:glassbox> screenshot --lesson 1 --step 9 --out /tmp/never.png)
  set_tests_properties(lessons_screenshot_bad_step PROPERTIES LABELS app
                       ENVIRONMENT "GLASSBOX_LESSONS=${CMAKE_CURRENT_LIST_DIR}/data/good")
endif()
# Not a test: prints how long Next, Back and a full replay take on each step of the lessons.
add_executable(gb_lessons_walk ${CMAKE_CURRENT_LIST_DIR}/cli/walk_main.cpp)
target_link_libraries(gb_lessons_walk PRIVATE glassbox_lib)
