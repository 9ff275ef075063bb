// Lookups over the labs' settings tables (panels, CLI, help).
#include "lab/lab_settings.hpp"
#include "lab/vae_lab.hpp"

#include "core/error.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/teach_lab.hpp"

namespace gb {

std::vector<SettingSpec> lab_setting_specs(const std::string& lab) {
  if (lab == "transformer") return setting_specs(transformer_settings_table());
  if (lab == "diffusion") return setting_specs(diffusion_settings_table());
  if (lab == "gan") return setting_specs(gan_settings_table());
  if (lab == "vae") return setting_specs(vae_settings_table());
  if (lab == "teach") return setting_specs(teach_settings_table());
  return {};
}

const SettingSpec& lab_setting(const std::string& lab, const std::string& name) {
  auto find = [&](const auto& table) -> const SettingSpec& {
    if (auto* s = find_setting(table, name)) return s->spec;
    fail(lab + ": no setting named `" + name + "`");
  };
  if (lab == "transformer") return find(transformer_settings_table());
  if (lab == "diffusion") return find(diffusion_settings_table());
  if (lab == "gan") return find(gan_settings_table());
  if (lab == "vae") return find(vae_settings_table());
  if (lab == "teach") return find(teach_settings_table());
  fail("no lab named `" + lab + "`");
}

std::vector<SettingSpec> cli_setting_specs(const std::string& subcommand) {
  std::vector<SettingSpec> v;
  for (const std::string& lab : Session::lab_names())
    for (auto& s : lab_setting_specs(lab))
      if (s.flag == subcommand) v.push_back(s);
  for (auto& s : command_flag_specs())
    if (s.flag == subcommand) v.push_back(s);
  return v;
}

std::string setting_tooltip(const std::string& lab, const std::string& name) {
  const SettingSpec& s = lab_setting(lab, name);
  return setting_summary(s) + "\ncommand: " + lab + " set " + s.name + " " + s.value_word();
}

std::vector<SettingSpec> TransformerLab::setting_table() const { return setting_specs(transformer_settings_table()); }
double TransformerLab::setting_value(const std::string& name) const {
  auto* s = find_setting(transformer_settings_table(), name);
  return s ? s->get(settings_) : 0;
}

std::vector<SettingSpec> DiffusionLab::setting_table() const { return setting_specs(diffusion_settings_table()); }
double DiffusionLab::setting_value(const std::string& name) const {
  auto* s = find_setting(diffusion_settings_table(), name);
  return s ? s->get(DiffusionSettings{cfg_, points_}) : 0;
}

std::vector<SettingSpec> VaeLab::setting_table() const { return setting_specs(vae_settings_table()); }
double VaeLab::setting_value(const std::string& name) const {
  auto* s = find_setting(vae_settings_table(), name);
  return s ? s->get(VaeSettings{seed_, temperature_, per_class_, prior_}) : 0;
}

std::vector<SettingSpec> TeachLab::setting_table() const { return setting_specs(teach_settings_table()); }
double TeachLab::setting_value(const std::string& name) const {
  auto* s = find_setting(teach_settings_table(), name);
  return s ? s->get(settings()) : 0;
}

std::vector<SettingSpec> GanLab::setting_table() const { return setting_specs(gan_settings_table()); }
double GanLab::setting_value(const std::string& name) const {
  auto* s = find_setting(gan_settings_table(), name);
  return s ? s->get(GanSettings{toy_->config(), speed_}) : 0;
}

}  // namespace gb
