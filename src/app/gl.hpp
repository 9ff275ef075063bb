// OpenGL 3.3 core declarations for the app's own GL code (widgets, screenshots). libGL exports
// the core entry points on Linux, so we use the Khronos prototypes directly (no loader).
#pragma once
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/glcorearb.h>
