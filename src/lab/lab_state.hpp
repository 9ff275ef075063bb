// What a lab keeps in a session file beyond its settings table (lab/session_file.hpp): plain JSON fields
// (a prompt, drawn points, a step position) and float tensors (weights it trained or tuned, stored bit for
// bit as F32). A lab writes it in save_state and reads it back in check_state / apply_state: check_state looks
// at everything and says what is wrong without changing anything, apply_state is only called after every
// lab's check passed, so a bad file never leaves the app half-loaded. No ImGui here.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_in.hpp"

namespace gb {

struct StateTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // numel(shape) values
};

struct LabState {
  nlohmann::json fields = nlohmann::json::object();          // written by save_state
  std::map<std::string, StateTensor> tensors;                        // name → tensor (names are the lab's own)
  std::string file = "<memory>";                                     // the session file, for messages
  std::string where;                                                 // "labs.transformer.state", for messages

  bool empty() const { return fields.empty() && tensors.empty(); }
  // The fields through the one checked accessor: errors read "FILE: labs.transformer.state.prompt is …".
  JsonIn in() const;
  // A tensor that must exist with this shape; throws gb::Error naming the file, the tensor and both shapes.
  const StateTensor& tensor(const std::string& name, const std::vector<int64_t>& shape) const;
  bool has_tensor(const std::string& name) const { return tensors.count(name) > 0; }
};

}  // namespace gb
