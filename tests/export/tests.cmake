# Exports (issue 20 item 3): data tables as CSV/JSON checked against the labs, GIFs read back with giflib, and the
# `glassbox export` command line (PNG, GIF and worksheet under Xvfb).
glassbox_test_suite(export glassbox_lib)
if(TARGET test_export)
  set_tests_properties(export PROPERTIES LABELS "export")
endif()
