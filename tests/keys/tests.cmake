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
