#pragma once
// Knocking out a unit: fixing one hidden unit's output h_t[unit] at a value at every step of the
// forward pass (0: the unit is silenced; ±1: it is held saturated). What changes in the verdict
// shows what the unit carried. The clamp is applied in one place, RecurrentLayer::run, right
// after each cell step, so the next step, the layer above and the head all read the fixed value.

#include <vector>

#include "nn/model.h"

namespace unroll {

/** The verdict change when one unit is knocked out (set to 0) on top of the model's knockouts. */
struct UnitEffect {
  int unit = 0;
  float logit_change = 0.0f;        // logit(knocked out) − logit(as the model stands)
  float probability_change = 0.0f;  // the same, as a probability
};

/**
 * For each unit of layer `layer`, direction `direction`: the change in the review's logit when
 * that unit is set to zero at every step (with the model's own knockouts kept), largest
 * |logit_change| first (ties by unit). Costs one forward pass per unit, plus one. The model's
 * knockouts are as before when it returns. An Error names an out-of-range layer or direction.
 */
Result<std::vector<UnitEffect>> knockout_effects(Model& model, const std::vector<int>& ids, int layer,
                                                 int direction);

}  // namespace unroll
