"""PyTorch reference of the 2D playground's model, loss, optimiser and sampler, for `npm run bench`.

The same computation as the TypeScript code, written the plain PyTorch way, so that the benchmark can say how far
TensorFlow.js is from PyTorch on the same work (scripts/bench.ts spawns this file and talks to it over stdin/stdout):

- network (src/nets/mlp.ts `createMlp`): input [mu, emb(t)] with emb(t) = [sin(2 pi f_k t), cos(2 pi f_k t)],
  f_k = 2^(k/2), k = 0..F/2-1; `depth` hidden layers h = swish(h W + b) of `width` units (Glorot-uniform weights,
  zero biases); a zero-initialised linear output layer predicting the noise eps_hat [B, 2].
- Bayesian flow (src/bfn/continuous.ts `ctsFlowSample`; paper section 4, eq. 77; official model.py
  `CtsBayesianFlow.forward`): t ~ U(0, 1) per row (`BFN.sample_t`), gamma = 1 - sigma1^(2t),
  mu = gamma x + sqrt(gamma (1 - gamma)) eps.
- output (src/bfn/continuous.ts `ctsXHatFromEps`; official probability.py `PredDistToDataDistFactory` with
  `noise_pred_params_to_data_pred_params`, `DeltaFactory(clip_range=1)`): x_hat = mu / gamma - sqrt(sigma1^(2t) / gamma)
  eps_hat with t clamped at 1e-6, x_hat = 0 where t < 1e-6, clipped to [-1, 1].
- loss (src/bfn/continuous.ts `ctsLossInf`, src/bfn/losses.ts `bfnLoss`; paper eq. 101 and Algorithm 2; official
  model.py `CtsBayesianFlowLoss.cts_time_loss`, `BFN.forward`): L^inf = -ln(sigma1) (x - x_hat)^2 sigma1^(-2t), mean
  over rows and dimensions (nats per dimension).
- optimiser (src/train/trainer2d.ts): Adam, beta = (0.9, 0.999), eps = 1e-7 (TF.js's default), no EMA.
- sampler (src/bfn/sampler.ts `sample`; paper Algorithm 3, Bayesian update eqs. 49-50; official model.py
  `BFN.sample`, `CtsBayesianFlow.get_alpha`, `update_input_params`): mu = 0, rho = 1; for i = 1..n: x_hat at
  t = (i-1)/n, alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)), y = x_hat + z / sqrt(alpha_i), rho' = rho + alpha_i,
  mu' = (rho mu + alpha_i y) / rho'; the answer is x_hat at t = 1. rho and alpha are Python floats (float64).

Paper: Graves, Srivastava, Atkinson, Gomez, "Bayesian Flow Networks", arXiv:2308.07037 (2023). Official code:
nnaisense/bayesian-flow-networks (commit b62568e). Equation numbers as in the project's SPEC (shared/bfn/SPEC.md).

Usage:
    python3 bench/reference/bfn2d.py serve     # the benchmark protocol below, one JSON object per line
    python3 bench/reference/bfn2d.py selftest  # shapes, the untrained network's closed-form loss, a short training

Protocol of `serve` (requests on stdin, one answer line each on stdout; an answer {"error": "..."} on failure):
    {"cmd": "hello"}                                   -> {"torch": version, "threads": 1, "blas": [loaded BLAS files]}
    {"cmd": "check", "config": C, "weights": [[shape, values], ...], "x": [B*2], "t": [B], "eps": [B*2],
     "points": N, "steps": n, "senderNoise": [n*N*2]}  -> {"loss": L^inf, "samples": [N*2]}
    {"cmd": "setup", "task": "train" | "sample", "config": C, "data": [M*2]}  -> {"ok": true} (after a warm-up)
    {"cmd": "block", "count": k}                       -> {"ms": wall milliseconds of k training steps / k samplings}
    {"cmd": "quit"}
C = {"width", "depth", "timeFeatures", "batch", "sigma1", "learningRate", "seed", "samplePoints", "sampleSteps"};
weights are TF.js's [W, b] per layer, W of shape [in, out], row-major.

Threads: one (`torch.set_num_threads(1)`); run with OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1, which scripts/bench.ts
sets, since busy-waiting OpenMP threads make torch many times slower on a shared machine (PLATFORM.md).
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

T_MIN = 1e-6  # src/bfn/constants.ts T_MIN; official PredDistToDataDistFactory's t_min
X_CLIP = 1.0  # src/bfn/constants.ts X_CLIP; official DeltaFactory(clip_range=1.0)


class Mlp(nn.Module):
    """Psi(mu, t) of src/nets/mlp.ts: [mu, emb(t)] -> depth x (linear, swish) -> linear (zero at start) -> eps_hat.

    mu: [B, D] float32; t: [B, 1] in [0, 1]. Returns eps_hat [B, D].
    """

    def __init__(self, dim: int, width: int, depth: int, time_features: int = 16):
        super().__init__()
        if time_features < 2 or time_features % 2:
            raise ValueError(f"time_features must be even and >= 2, got {time_features}")
        half = time_features // 2
        self.register_buffer("freqs", torch.tensor([[2 * math.pi * 2 ** (k / 2) for k in range(half)]]))
        sizes = [dim + time_features] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(width, dim)
        for layer in self.hidden:  # Glorot uniform and zero bias, as createMlp
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, mu: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        angles = t.reshape(-1, 1) @ self.freqs
        h = torch.cat([mu, torch.sin(angles), torch.cos(angles)], 1)
        for layer in self.hidden:
            h = F.silu(layer(h))
        return self.out(h)

    def load_tfjs(self, weights: list) -> None:
        """Copies TF.js variables [W0, b0, ..., W_out, b_out] (W as [in, out], row-major) into the layers."""
        layers = list(self.hidden) + [self.out]
        if len(weights) != 2 * len(layers):
            raise ValueError(f"expected {2 * len(layers)} weight tensors, got {len(weights)}")
        with torch.no_grad():
            for k, layer in enumerate(layers):
                (w_shape, w), (b_shape, b) = weights[2 * k], weights[2 * k + 1]
                if list(w_shape) != [layer.in_features, layer.out_features] or list(b_shape) != [layer.out_features]:
                    raise ValueError(f"layer {k}: shapes {w_shape}, {b_shape} do not fit {layer}")
                layer.weight.copy_(torch.tensor(w, dtype=torch.float32).reshape(w_shape).T)
                layer.bias.copy_(torch.tensor(b, dtype=torch.float32))


def x_hat_from_eps(mu: torch.Tensor, eps_hat: torch.Tensor, t: torch.Tensor, sigma1: float) -> torch.Tensor:
    """x_hat(theta, t) from the predicted noise (official `noise_pred_params_to_data_pred_params` + `DeltaFactory`).

    mu, eps_hat: [B, D]; t: [B, 1]. Returns [B, D] in [-1, 1]; 0 where t < 1e-6.
    """
    tc = t.clamp(min=T_MIN)
    post_var = torch.pow(sigma1**2, tc)  # sigma1^(2t)
    gamma = 1 - post_var
    x_hat = mu / gamma - torch.sqrt(post_var / gamma) * eps_hat
    x_hat = torch.where(t < T_MIN, torch.zeros_like(x_hat), x_hat)
    return x_hat.clamp(-X_CLIP, X_CLIP)


def loss_inf(net: Mlp, x: torch.Tensor, sigma1: float, t: torch.Tensor = None, eps: torch.Tensor = None) -> torch.Tensor:
    """The batch loss mean L^inf (paper eq. 101; official `CtsBayesianFlow.forward` + `cts_time_loss`), a scalar in
    nats per dimension. x: [B, D] in [-1, 1]; t: [B, 1] (drawn U(0, 1) when None); eps: [B, D] (drawn N(0, 1))."""
    if t is None:
        t = torch.rand(x.shape[0], 1)
    if eps is None:
        eps = torch.randn_like(x)
    post_var = torch.pow(sigma1**2, t)
    gamma = 1 - post_var
    mu = gamma * x + torch.sqrt(gamma * post_var) * eps
    x_hat = x_hat_from_eps(mu, net(mu, t), t, sigma1)
    return (-math.log(sigma1) * (x - x_hat).square() / post_var).mean()


def alpha_i(i: int, n: int, sigma1: float) -> float:
    """alpha_i = sigma1^(-2i/n) (1 - sigma1^(2/n)) in float64 (official `CtsBayesianFlow.get_alpha`)."""
    return sigma1 ** (-2 * i / n) * -math.expm1(2 / n * math.log(sigma1))


@torch.no_grad()
def sample(net: Mlp, points: int, steps: int, sigma1: float, sender_noise: torch.Tensor = None) -> torch.Tensor:
    """The n-step sampler (paper Algorithm 3; official `BFN.sample`). sender_noise: [steps, points, 2] or None (drawn).
    Returns x_hat(theta_n, 1), [points, 2]."""
    mu, rho = torch.zeros(points, 2), 1.0
    for i in range(1, steps + 1):
        t = torch.full((points, 1), (i - 1) / steps)
        x_hat = x_hat_from_eps(mu, net(mu, t), t, sigma1)
        alpha = alpha_i(i, steps, sigma1)
        z = torch.randn(points, 2) if sender_noise is None else sender_noise[i - 1]
        y = x_hat + z / math.sqrt(alpha)
        mu, rho = (rho * mu + alpha * y) / (rho + alpha), rho + alpha
    t = torch.ones(points, 1)
    return x_hat_from_eps(mu, net(mu, t), t, sigma1)


class Session:
    """One benchmark task ('train' or 'sample') with its network, optimiser and data, warmed up on creation."""

    def __init__(self, task: str, config: dict, data: list):
        if task not in ("train", "sample"):
            raise ValueError(f"unknown task {task!r}")
        self.task, self.c = task, config
        torch.manual_seed(int(config.get("seed", 1)))
        self.net = Mlp(2, int(config["width"]), int(config["depth"]), int(config.get("timeFeatures", 16)))
        self.opt = torch.optim.Adam(self.net.parameters(), lr=float(config["learningRate"]), eps=1e-7)
        self.data = torch.tensor(data, dtype=torch.float32).reshape(-1, 2)
        if task == "train":
            self.run(5)
        else:
            sample(self.net, int(config["samplePoints"]), 2, float(config["sigma1"]))

    def train_step(self) -> float:
        """A step as Trainer2D.trainStep: a batch drawn with replacement, L^inf, backward, Adam, the loss read back."""
        x = self.data[torch.randint(self.data.shape[0], (int(self.c["batch"]),))]
        self.opt.zero_grad(set_to_none=True)
        loss = loss_inf(self.net, x, float(self.c["sigma1"]))
        loss.backward()
        self.opt.step()
        return loss.item()

    def run(self, count: int) -> float:
        """Runs `count` training steps or samplings; returns their wall time in milliseconds."""
        t0 = time.perf_counter()
        for _ in range(count):
            if self.task == "train":
                self.train_step()
            else:
                sample(self.net, int(self.c["samplePoints"]), int(self.c["sampleSteps"]), float(self.c["sigma1"]))
        return (time.perf_counter() - t0) * 1000


def check(req: dict) -> dict:
    """The loss and the samples for given weights and noise, to compare with the TypeScript code (see the protocol)."""
    c = req["config"]
    net = Mlp(2, int(c["width"]), int(c["depth"]), int(c.get("timeFeatures", 16)))
    net.load_tfjs(req["weights"])
    sigma1 = float(c["sigma1"])
    x = torch.tensor(req["x"], dtype=torch.float32).reshape(-1, 2)
    t = torch.tensor(req["t"], dtype=torch.float32).reshape(-1, 1)
    eps = torch.tensor(req["eps"], dtype=torch.float32).reshape(-1, 2)
    with torch.no_grad():
        loss = loss_inf(net, x, sigma1, t, eps).item()
    points, steps = int(req["points"]), int(req["steps"])
    noise = torch.tensor(req["senderNoise"], dtype=torch.float32).reshape(steps, points, 2)
    return {"loss": loss, "samples": sample(net, points, steps, sigma1, noise).flatten().tolist()}


def blas_libraries() -> list:
    """The BLAS shared libraries this process has loaded (Linux: from /proc/self/maps; [] elsewhere). Debian's torch
    uses whatever libblas.so.3 the system selects; the reference (netlib) BLAS makes matrix products several times
    slower than OpenBLAS, which matters for a fair comparison."""
    try:
        with open("/proc/self/maps") as maps:
            return sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    except OSError:
        return []


def serve() -> None:
    """Answers the protocol of the module docstring until "quit" or the end of stdin."""
    session = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            cmd = req.get("cmd")
            if cmd == "quit":
                break
            if cmd == "hello":
                answer = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_libraries()}
            elif cmd == "check":
                answer = check(req)
            elif cmd == "setup":
                session = Session(req["task"], req["config"], req["data"])
                answer = {"ok": True}
            elif cmd == "block":
                if session is None:
                    raise RuntimeError("block before setup")
                answer = {"ms": session.run(int(req["count"]))}
            else:
                raise ValueError(f"unknown command {cmd!r}")
        except Exception as err:  # reported to the caller, which stops with the message
            answer = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def selftest() -> None:
    """Checks without TypeScript: shapes; the untrained network (eps_hat = 0) gives the closed-form loss
    -ln(sigma1) (x - clip(mu / gamma))^2 sigma1^(-2t); a short training run lowers the loss."""
    torch.manual_seed(0)
    sigma1 = 0.02
    net = Mlp(2, 128, 3)
    x = torch.rand(64, 2) * 2 - 1
    t, eps = torch.rand(64, 1), torch.randn(64, 2)
    assert net(x, t).shape == (64, 2) and sample(net, 10, 3, sigma1).shape == (10, 2)
    post_var = torch.pow(sigma1**2, t)
    gamma = 1 - post_var
    mu = gamma * x + torch.sqrt(gamma * post_var) * eps
    closed = (-math.log(sigma1) * (x - (mu / gamma).clamp(-1, 1)).square() / post_var).mean().item()
    got = loss_inf(net, x, sigma1, t, eps).item()
    assert abs(got - closed) <= 1e-5 * abs(closed), (got, closed)
    data = torch.cat([torch.rand(512, 1) * 2 - 1, torch.zeros(512, 1)], 1).flatten().tolist()
    s = Session("train", {"width": 64, "depth": 2, "batch": 256, "sigma1": sigma1, "learningRate": 2e-3}, data)
    first = sum(s.train_step() for _ in range(20)) / 20
    for _ in range(200):
        s.train_step()
    last = sum(s.train_step() for _ in range(20)) / 20
    assert last < first, (first, last)
    print(f"ok: untrained loss {got:.6f} = closed form {closed:.6f}; training loss {first:.3f} -> {last:.3f}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "serve":
        serve()
    elif mode == "selftest":
        selftest()
    else:
        sys.stderr.write("usage: python3 bench/reference/bfn2d.py serve|selftest\n")
        sys.exit(2)
