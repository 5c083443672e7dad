// deltagrad's step-through page: the forward pass fills in each node's data in
// topological order; the backward pass visits the op nodes last first and applies
// the chain rule dC/dx_i += dy/dx_i * dC/dy along each edge. Every number it uses
// was computed in Python (data, and the local derivatives dy/dx_i from the rule
// table); this script only multiplies, adds and shows. No request is ever made.
"use strict";
(function () {
  const model = JSON.parse(document.getElementById("deltagrad-graph").textContent);
  const num = (x) => (typeof x === "number" ? x : x === "nan" ? NaN : x === "inf" ? Infinity : -Infinity);
  const nodes = model.nodes;
  const N = nodes.length;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const steps = model.backward.map((s) => ({
    node: index.get(s.node),
    edges: s.edges.map((e) => ({ input: index.get(e.input), partial: num(e.partial), masked: e.masked })),
    completes: s.completes.map((id) => index.get(id)),
  }));
  const M = steps.length;
  const engineGrad = nodes.map((n) => num(n.grad));
  const parts = nodes.map((n) => {
    const pics = n.pictures.map((id) => document.getElementById(id)).filter(Boolean);
    const op = document.getElementById(n.id + "op");
    return {
      groups: op ? pics.concat([op]) : pics,
      data: pics.map((g) => g.querySelector("text.dg-data")).filter(Boolean),
      grad: pics.map((g) => g.querySelector("text.dg-grad")).filter(Boolean),
    };
  });
  // how many contributions each node receives, to say "2nd of 2"
  const received = new Array(N).fill(0);
  for (const s of steps) for (const e of s.edges) received[e.input] += 1;
  const reveals = new Map();
  for (const el of document.querySelectorAll("[data-after]")) {
    const k = index.get(el.getAttribute("data-after"));
    if (!reveals.has(k)) reveals.set(k, []);
    reveals.get(k).push(el);
  }

  // --- numbers as pictures show them (viz.labels.format_number): 4 significant
  // digits like Python's %.4g, a negative one with the minus sign U+2212
  function fmt(x) {
    const text = fmtPlain(x);
    return text.startsWith("-") ? "\u2212" + text.slice(1) : text;
  }

  function fmtPlain(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const [mant, ex] = x.toExponential(3).split("e");
    const e = Number(ex);
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (e < -4 || e >= 4) {
      const sign = e < 0 ? "-" : "+";
      return strip(mant) + "e" + sign + String(Math.abs(e)).padStart(2, "0");
    }
    return strip(x.toFixed(3 - e));
  }

  // --- state
  let forwardDone = 0; // how many nodes have their data
  let backwardDone = 0; // how many backward steps were taken
  const sums = new Array(N).fill(0);
  const complete = new Array(N).fill(false);
  const got = new Array(N).fill(0); // contributions received so far
  const history = []; // one entry per step taken, to undo it
  let lit = [];

  const $ = (id) => document.getElementById(id);
  const buttons = {
    forward: $("dg-step-forward"), backward: $("dg-step-backward"),
    back: $("dg-back"), reset: $("dg-reset"), play: $("dg-play"),
  };
  const panel = $("dg-step");
  const status = $("dg-status");

  function showData(k, on) {
    for (const t of parts[k].data) t.textContent = on ? t.getAttribute("data-shown") : t.getAttribute("data-words") + "?";
  }
  function showGrad(k, on) {
    for (const t of parts[k].grad) {
      if (!on) {
        t.textContent = t.getAttribute("data-words") + "?";
        t.removeAttribute("data-value");
        continue;
      }
      const same = sums[k] === engineGrad[k] || (Number.isNaN(sums[k]) && Number.isNaN(engineGrad[k]));
      t.textContent = same ? t.getAttribute("data-shown") : t.getAttribute("data-words") + fmt(sums[k]);
      t.setAttribute("data-value", String(sums[k]));
    }
    for (const el of reveals.get(k) || []) el.hidden = !on;
  }
  function highlight(y, xs) {
    for (const [g, c] of lit) g.classList.remove(c);
    lit = [];
    if (y === null) return;
    for (const x of xs) for (const g of parts[x].groups) { g.classList.add("dg-x"); lit.push([g, "dg-x"]); }
    for (const g of parts[y].groups) { g.classList.add("dg-y"); lit.push([g, "dg-y"]); }
    // scrolled into view in the next frame, where the layout is made anyway
    const first = parts[y].groups[0];
    if (first) requestAnimationFrame(() => first.scrollIntoView({ block: "nearest", inline: "nearest" }));
  }
  function name(k) { return nodes[k].name; }

  function table(head, rows) {
    const t = document.createElement("table");
    const h = t.createTHead().insertRow();
    for (const c of head) { const th = document.createElement("th"); th.textContent = c; h.appendChild(th); }
    const body = t.createTBody();
    for (const r of rows) { const tr = body.insertRow(); for (const c of r) tr.insertCell().textContent = c; }
    return t;
  }
  function paragraph(text) { const p = document.createElement("p"); p.textContent = text; return p; }

  function render(entry) {
    panel.replaceChildren();
    if (!entry) {
      panel.appendChild(paragraph("Nothing computed yet: step forward to compute the values, node by node in topological order."));
      highlight(null, []);
      return;
    }
    if (entry.kind === "f") {
      const n = nodes[entry.node];
      const ins = n.inputs.map((id) => index.get(id));
      const what = n.op ? `${n.symbol}(${ins.map(name).join(", ")})` : (n.requires_grad ? "a parameter" : "a constant");
      panel.appendChild(paragraph(`Forward step ${entry.t} of ${N}: ${name(entry.node)} = ${what} = ${fmt(num(n.data))}`));
      highlight(entry.node, ins);
      return;
    }
    const s = steps[entry.step];
    panel.appendChild(paragraph(`Backward step ${entry.step + 1} of ${M}: node ${name(s.node)}` +
      (entry.step === 0 ? `, seeded with dC/dC = 1` : "") + `; dC/d${name(s.node)} = ${fmt(entry.g)}`));
    if (s.edges.length === 0) panel.appendChild(paragraph("No input takes a gradient."));
    else panel.appendChild(table(
      ["input xᵢ", "∂y/∂xᵢ (rule table)", "dC/dy", "product", "running sum dC/dxᵢ", ""],
      s.edges.map((e, i) => [name(e.input), e.masked ? "0 (mask)" : fmt(e.partial), fmt(entry.g),
        fmt(entry.products[i]), fmt(entry.after[i]),
        `contribution ${entry.nth[i]} of ${received[e.input]}` + (entry.nth[i] === received[e.input] ? ": complete" : "")])));
    highlight(s.node, s.edges.map((e) => e.input));
  }

  function update() {
    const fDone = forwardDone === N;
    const bDone = backwardDone === M;
    buttons.forward.disabled = fDone;
    buttons.backward.disabled = !fDone || bDone;
    buttons.back.disabled = history.length === 0;
    if (!fDone) status.textContent = `Forward pass: ${forwardDone} of ${N} values computed. Gradients are not yet known (they are not 0).`;
    else if (M === 0) status.textContent = "The root takes no gradient (a constant): there is no backward pass.";
    else if (backwardDone === 0) status.textContent = "Every value is computed. Gradients are not yet known (they are not 0): step backward to compute them.";
    else if (!bDone) status.textContent = `Backward pass: ${backwardDone} of ${M} steps; a node's grad shows once every contribution to it has arrived.`;
    else status.textContent = "Every gradient is complete: each equals what backward() computed.";
    render(history[history.length - 1]);
  }

  function stepForward() {
    if (forwardDone === N) return false;
    const k = forwardDone++;
    showData(k, true);
    history.push({ kind: "f", node: k, t: forwardDone });
    update();
    return true;
  }
  function stepBackward() {
    if (forwardDone < N || backwardDone === M) return false;
    const si = backwardDone++;
    const s = steps[si];
    const saved = [];
    if (si === 0) { saved.push([s.node, sums[s.node]]); sums[s.node] = 1; }
    const g = sums[s.node];
    const products = [], after = [], nth = [];
    for (const e of s.edges) {
      const p = e.masked ? 0 : e.partial * g;
      saved.push([e.input, sums[e.input]]);
      sums[e.input] += p;
      products.push(p);
      after.push(sums[e.input]);
      nth.push(++got[e.input]);
    }
    for (const k of s.completes) { complete[k] = true; showGrad(k, true); }
    history.push({ kind: "b", step: si, g, products, after, nth, saved });
    update();
    return true;
  }
  function back() {
    const entry = history.pop();
    if (!entry) return false;
    if (entry.kind === "f") { forwardDone--; showData(entry.node, false); }
    else {
      const s = steps[entry.step];
      for (const k of s.completes) { complete[k] = false; showGrad(k, false); }
      for (const e of s.edges) got[e.input]--;
      for (let i = entry.saved.length - 1; i >= 0; i--) sums[entry.saved[i][0]] = entry.saved[i][1];
      backwardDone--;
    }
    update();
    return true;
  }
  function reset() {
    stop();
    for (let k = 0; k < N; k++) { showData(k, false); if (complete[k]) showGrad(k, false); }
    sums.fill(0); complete.fill(false); got.fill(0);
    forwardDone = 0; backwardDone = 0; history.length = 0;
    update();
  }
  function next() { return forwardDone < N ? stepForward() : stepBackward(); }

  let timer = null;
  const delay = Math.max(20, Math.min(400, 30000 / Math.max(1, N + M)));
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } buttons.play.textContent = "Play"; }
  function play() {
    if (timer !== null) { stop(); return; }
    buttons.play.textContent = "Pause";
    timer = setInterval(() => { if (!next()) stop(); }, delay);
  }

  buttons.forward.addEventListener("click", stepForward);
  buttons.backward.addEventListener("click", stepBackward);
  buttons.back.addEventListener("click", back);
  buttons.reset.addEventListener("click", reset);
  buttons.play.addEventListener("click", play);
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight") { next(); ev.preventDefault(); }
    else if (ev.key === "ArrowLeft") { back(); ev.preventDefault(); }
  });
  window.deltagrad = { fmt, state: () => ({ forwardDone, backwardDone, N, M }) };
  update();
})();
