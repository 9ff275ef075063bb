# Exports (issue 20 item 3): data tables as CSV/JSON checked against the labs, GIFs read back with giflib, and the
# `glassbox export` command line (PNG, GIF and worksheet under Xvfb).
glassbox_test_suite(export glassbox_lib)
if(TARGET test_export)
  set_tests_properties(export PROPERTIES LABELS "export")
endif()
# `glassbox export` end to end (the real binary; pictures and GIFs under Xvfb).
if(GLASSBOX_BUILD_APP AND TARGET glassbox AND TARGET png_check)
  find_program(XVFB_RUN xvfb-run)
  if(XVFB_RUN)
    add_test(NAME export_cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cli_test.sh $<TARGET_FILE:glassbox> $<TARGET_FILE:png_check>
                                     ${CMAKE_BINARY_DIR}/test_exports)
    set_tests_properties(export_cli PROPERTIES LABELS "export;app" TIMEOUT 180)
  endif()
endif()
