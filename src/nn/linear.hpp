// Fully connected layer and elementwise activations: forward computes, backward adds into grads.
// Weight layout follows PyTorch's nn.Linear: W is (Out, In), out = in · Wᵀ + b.
#pragma once
#include "core/tensor.hpp"

namespace gb {

// out (N, Out) = inp (N, In) · Wᵀ (In, Out) + b (Out). b may be null.
void linear_forward(MatMap out, CMatMap inp, CMatMap W, const float* b);
// dinp (N, In) += dout · W; dW (Out, In) += doutᵀ · inp; db (Out) += column sums of dout.
// dinp may have 0 rows to skip it (first layer), db may be null.
void linear_backward(MatMap dinp, MatMap dW, float* db, CMatMap dout, CMatMap inp, CMatMap W);

enum class Act { identity, relu, leaky_relu, tanh, sigmoid, silu, gelu };

// y = act(x), elementwise over n values. leaky_relu uses slope 0.2.
void act_forward(Act a, float* y, const float* x, size_t n);
// dx += dy * act'(x), elementwise; uses the input x (and recomputes what it needs).
void act_backward(Act a, float* dx, const float* dy, const float* x, size_t n);

const char* act_name(Act a);

}  // namespace gb
