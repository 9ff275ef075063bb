# Robustness (issue 15): malformed inputs generated on the fly — checkpoints, Hugging Face folders,
# training states, IDX data, lesson folders, app commands — each must give a clear gb::Error naming
# the file and the problem. Part of the default suite, so glassbox.sh test runs it under ASan + UBSan.
glassbox_test_suite(robustness glassbox_lib)
