// slider_value_x against Dear ImGui itself: a headless ImGui context (no window, no GPU) computes where
// its slider grab sits for a value, and the "T = 1" mark's x must be the grab's centre.
#include <doctest/doctest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/widgets/label_layout.hpp"

TEST_CASE("slider_value_x is where Dear ImGui puts the grab for that value") {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1600, 900);
  io.IniFilename = nullptr;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // a font atlas is required before NewFrame
  for (float grab_min : {10.0f, 20.0f}) {           // scale 1 and 2 grab sizes
    ImGui::GetStyle().GrabMinSize = grab_min;
    ImGui::NewFrame();
    ImGui::Begin("t");
    for (float frame_w : {160.0f, 300.0f, 517.0f})
      for (float v : {0.05f, 0.3f, 1.0f, 1.7f, 3.0f}) {
        const ImRect bb(ImVec2(40, 100), ImVec2(40 + frame_w, 124));
        float value = v, lo = 0.05f, hi = 3.0f;
        ImRect grab;
        ImGui::SliderBehavior(bb, ImGui::GetID("probe"), ImGuiDataType_Float, &value, &lo, &hi, "%.2f", 0, &grab);
        INFO("frame " << frame_w << " value " << v << " grab " << grab_min);
        CHECK(gb::ui::slider_value_x(40, frame_w, grab_min, lo, hi, v) == doctest::Approx((grab.Min.x + grab.Max.x) / 2).epsilon(1e-4));
      }
    ImGui::End();
    ImGui::EndFrame();
  }
  ImGui::DestroyContext();
}
