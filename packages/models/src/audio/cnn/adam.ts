import type { ParameterTensor } from "./network.ts";

/** Adam state for a list of parameter tensors. */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;

  constructor(
    private readonly params: ParameterTensor[],
    private readonly learningRate: number,
    private readonly weightDecay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = params.map((p) => new Float32Array(p.data.length));
    this.v = params.map((p) => new Float32Array(p.data.length));
  }

  // Kingma & Ba 2015, "Adam", Algorithm 1; weight decay enters as an L2 term in the gradient.
  update(grads: Float32Array[]): void {
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const stepSize = (this.learningRate * Math.sqrt(correction2)) / correction1;
    this.params.forEach((param, index) => {
      const g = grads[index],
        m = this.m[index],
        v = this.v[index],
        w = param.data;
      const decay = param.isBias ? 0 : this.weightDecay;
      for (let i = 0; i < w.length; i++) {
        const grad = g[i] + decay * w[i];
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * grad;
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * grad * grad;
        w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + this.epsilon);
      }
    });
  }
}
