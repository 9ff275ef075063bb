// Placeholder shader so the embed step has input.
#version 330 core
void main() {}
