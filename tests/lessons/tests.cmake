# Lessons: the fixture folder for the unit tests, and `glassbox lessons check` end to end (CI runs it on
# the repository's lessons/ through a window-free build of the command line).
if(TARGET test_lessons)
  target_compile_definitions(test_lessons PRIVATE GB_LESSONS_DATA="${CMAKE_CURRENT_LIST_DIR}/data")
endif()
add_executable(gb_lessons_cli ${CMAKE_CURRENT_LIST_DIR}/cli/cli_main.cpp)
target_link_libraries(gb_lessons_cli PRIVATE glassbox_lib)
add_test(NAME lessons_check COMMAND gb_lessons_cli lessons check --dir ${CMAKE_SOURCE_DIR}/lessons)
set_tests_properties(lessons_check PROPERTIES TIMEOUT 900)
add_test(NAME lessons_check_fixture COMMAND gb_lessons_cli lessons check --json --dir ${CMAKE_CURRENT_LIST_DIR}/data/good)
set_tests_properties(lessons_check_fixture PROPERTIES PASS_REGULAR_EXPRESSION "\"errors\": \\[\\]")
# A folder of bad lessons: exit code 1 and every problem with file:line.
add_test(NAME lessons_check_bad COMMAND gb_lessons_cli lessons check --dir ${CMAKE_CURRENT_LIST_DIR}/data/bad)
set_tests_properties(lessons_check_bad PROPERTIES WILL_FAIL TRUE)
add_test(NAME lessons_check_bad_messages COMMAND sh -c "$<TARGET_FILE:gb_lessons_cli> lessons check --dir ${CMAKE_CURRENT_LIST_DIR}/data/bad; exit 0")
set_tests_properties(lessons_check_bad_messages PROPERTIES
  PASS_REGULAR_EXPRESSION "01-unknown-command.md:13: open: no panel named `transformer.nope`.*02-parse-errors.md:3: workspace")
