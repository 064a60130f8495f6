#include "nn/knockout.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace unroll {

Result<std::vector<UnitEffect>> knockout_effects(Model& model, const std::vector<int>& ids, int layer,
                                                 int direction) {
  const ModelConfig& config = model.config();
  if (layer < 0 || layer >= config.layers)
    return Error{"layer " + std::to_string(layer) + " out of range 0.." + std::to_string(config.layers - 1)};
  if (direction < 0 || direction >= config.directions())
    return Error{"direction " + std::to_string(direction) + " out of range 0.." +
                 std::to_string(config.directions() - 1)};

  const std::vector<Knockout> kept = model.knockouts();
  const float base = model.logit(ids);
  std::vector<UnitEffect> effects;
  effects.reserve(config.units);
  std::vector<Knockout> trial = kept;
  trial.push_back({layer, direction, 0, 0.0f});
  for (int unit = 0; unit < config.units; ++unit) {
    trial.back().unit = unit;
    // In range by construction; a unit the caller already clamped is re-clamped at 0 (the last
    // knockout of a unit wins).
    (void)model.set_knockouts(trial);
    const float logit = model.logit(ids);
    effects.push_back({unit, logit - base, sigmoid(logit) - sigmoid(base)});
  }
  (void)model.set_knockouts(kept);
  std::sort(effects.begin(), effects.end(), [](const UnitEffect& a, const UnitEffect& b) {
    const float ma = std::fabs(a.logit_change), mb = std::fabs(b.logit_change);
    return ma > mb || (ma == mb && a.unit < b.unit);
  });
  return effects;
}

}  // namespace unroll
