# App-side pure helpers (no window): label picking, slider positions, worked arithmetic text; with Dear ImGui
# installed, also the slider arithmetic against a headless ImGui context. Builds with or without the app.
add_executable(test_app_transformer ${CMAKE_CURRENT_LIST_DIR}/../doctest_main.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_label_layout.cpp ${CMAKE_CURRENT_LIST_DIR}/test_transformer_format.cpp
               ${CMAKE_SOURCE_DIR}/src/app/widgets/label_layout.cpp ${CMAKE_SOURCE_DIR}/src/app/panels/transformer_format.cpp)
target_include_directories(test_app_transformer PRIVATE ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(test_app_transformer PRIVATE doctest::doctest)
add_test(NAME app_transformer COMMAND test_app_transformer)
# With Dear ImGui's headers and library (the app's build): the slider arithmetic against ImGui's own grab.
pkg_check_modules(GB_TEST_IMGUI QUIET imgui)
if(GB_TEST_IMGUI_FOUND)
  target_sources(test_app_transformer PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_slider_imgui.cpp)
  target_include_directories(test_app_transformer PRIVATE ${GB_TEST_IMGUI_INCLUDE_DIRS})
  target_link_libraries(test_app_transformer PRIVATE ${GB_TEST_IMGUI_STATIC_LDFLAGS})
endif()
