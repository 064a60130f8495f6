// Time stepping: a position in [0, length) that moves by steps, by seeking, or by playing. `home` is
// where the words start (web/playback/timeline.js): Home and Play from the end go there, not to 0.

export const SPEEDS = [1, 2, 4, 8, 16, 32];

/** A player that calls onChange(position, { playing, speed }) whenever either changes. */
export function createPlayer({ onChange, speed: initialSpeed = 4 }) {
  let length = 0;
  let position = 0;
  let home = 0;
  let playing = false;
  let speed = initialSpeed; // steps per second
  let timer = 0;

  const emit = () => onChange(position, { playing, speed, length });
  const clamp = (p) => Math.max(0, Math.min(length - 1, Math.round(p)));

  // Playing keeps time by the clock, not by counting ticks: the position is where the clock says it
  // should be (start + elapsed × speed), so 32/s really moves 32 steps a second even when drawing a
  // step takes longer than 1/32 s (a slow frame then moves the cursor by two steps, not the clock late).
  let clockStart = 0;    // performance.now() when the position was clockFrom
  let clockFrom = 0;
  const restartClock = () => { clockStart = performance.now(); clockFrom = position; };

  function tick() {
    if (position >= length - 1) return pause();
    const due = clockFrom + Math.floor(((performance.now() - clockStart) * speed) / 1000);
    position = Math.min(length - 1, Math.max(position + 1, due));
    emit();
    if (position >= length - 1) { pause(); return; }
    const next = clockStart + ((position + 1 - clockFrom) * 1000) / speed;
    timer = setTimeout(tick, Math.max(0, next - performance.now()));
  }
  function play() {
    if (length < 2 || playing) return;
    if (position >= length - 1) position = home;
    playing = true;
    restartClock();
    emit();
    timer = setTimeout(tick, 1000 / speed);
  }
  function pause() {
    clearTimeout(timer);
    if (!playing) return;
    playing = false;
    emit();
  }
  return {
    speeds: SPEEDS,
    get position() { return position; },
    get length() { return length; },
    get playing() { return playing; },
    get speed() { return speed; },
    get home() { return home; },
    /** New sequence length; keeps the position when possible (quietly: no onChange). */
    setLength(n, at = position, homePosition = 0) {
      length = Math.max(0, n);
      home = Math.max(0, Math.min(length - 1, homePosition));
      position = length ? clamp(at) : 0;
      if (!length) pause();
    },
    seek(p) {
      if (!length) return;
      const next = clamp(p);
      if (next === position) return;
      position = next;
      emit();
    },
    step(delta) { pause(); this.seek(position + delta); },
    start() { pause(); this.seek(home); },
    end() { pause(); this.seek(length - 1); },
    play,
    pause,
    toggle() { playing ? pause() : play(); },
    setSpeed(s) {
      speed = s;
      if (playing) { clearTimeout(timer); restartClock(); timer = setTimeout(tick, 1000 / speed); }
      emit();
    },
  };
}
