# App-side pure helpers (no ImGui, no window): label picking, slider positions, worked arithmetic text.
# Builds with or without the app (the helpers are plain C++), so the ASan build runs it too.
add_executable(test_app_transformer ${CMAKE_CURRENT_LIST_DIR}/../doctest_main.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_label_layout.cpp ${CMAKE_CURRENT_LIST_DIR}/test_transformer_format.cpp
               ${CMAKE_SOURCE_DIR}/src/app/widgets/label_layout.cpp ${CMAKE_SOURCE_DIR}/src/app/panels/transformer_format.cpp)
target_include_directories(test_app_transformer PRIVATE ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(test_app_transformer PRIVATE doctest::doctest)
add_test(NAME app_transformer COMMAND test_app_transformer)
