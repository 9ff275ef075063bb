// TransformerLab::reset_to_defaults(): back to a fresh lab's prompt, settings, seed and selection,
// training stopped and joined, but the loaded model kept in memory so a reset costs no disk read
// (lessons reset on every Next/Back and replay the steps' commands).
#include <memory>

#include "lab/transformer_lab.hpp"
#include "lab/transformer_lab_impl.hpp"

namespace gb {

void TransformerLab::reset_to_defaults() {
  Impl& m = *impl_;
  if (m.prep.valid()) m.prep.wait();  // the prepared trainer is dropped
  m.prep = {};
  m.train.reset();  // stops and joins the worker
  m.snap.reset();
  m.train_error.clear();
  train_source_.clear();
  train_corpus_.clear();
  settings_ = TransformerSettings{};
  prompt_ = "Once upon a time";
  running_ = false;
  run_accum_ = 0;
  last_update_ = -1;
  comparison_.clear();
  comparison_start_ = 0;
  sel_layer_ = 0;
  sel_head_ = 0;
  sel_token_ = -1;
  ensure_model();
  if (!m.base_model) {  // the first reset remembers the default model
    m.base_model = m.model;
    m.base_tok = m.tok;
    m.base_info = m.info;
  } else if (m.model != m.base_model) {
    m.model = m.base_model;
    m.trained = false;
    m.tok = m.base_tok;
    m.info = m.base_info;
  }
  rebuild_from_prompt();
  apply_weights();
}

}  // namespace gb
