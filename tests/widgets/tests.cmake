# Widget geometry that needs no window (legend placement) and the panel registry's check: compiled straight from
# src/app/widgets/ and src/app/panels/registry.cpp.
add_executable(test_widgets ${CMAKE_CURRENT_LIST_DIR}/../doctest_main.cpp ${CMAKE_CURRENT_LIST_DIR}/test_legend_place.cpp
                            ${CMAKE_CURRENT_LIST_DIR}/test_panel_registry.cpp
                            ${CMAKE_SOURCE_DIR}/src/app/widgets/legend_place.cpp ${CMAKE_SOURCE_DIR}/src/app/panels/registry.cpp)
target_include_directories(test_widgets PRIVATE ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(test_widgets PRIVATE doctest::doctest)
add_test(NAME widgets COMMAND test_widgets)
