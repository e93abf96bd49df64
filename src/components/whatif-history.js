// Undo and redo for the what-if controls (whatif-controls.js). A snapshot is the controls' whole
// state — {city, year, base, edits, name, memory} — taken just before a change; moves of one slider
// in quick succession are one step (a drag is one change, not fifty).
//
//   const history = new EditHistory();
//   history.record(snapshot(), "edit:caps.general");   // before the change
//   const s = history.undo(snapshot()); if (s) restore(s);
//   const s = history.redo(snapshot()); if (s) restore(s);

/** Steps kept; the oldest are dropped past this. */
const LIMIT = 200;
/** Changes with the same key closer together than this (ms) are one step. */
const COALESCE_MS = 1000;

/** A deep copy of plain data (snapshots hold objects the controls go on changing). */
export function copy(x) {
  return x === undefined ? undefined : JSON.parse(JSON.stringify(x));
}

export class EditHistory {
  constructor({limit = LIMIT, coalesceMs = COALESCE_MS, now = () => Date.now()} = {}) {
    this.past = [];
    this.future = [];
    this.limit = limit;
    this.coalesceMs = coalesceMs;
    this.now = now;
    this.lastKey = null;
    this.lastAt = 0;
  }

  /** Remember `before` (the state just before a change named `key`); a new change clears redo. */
  record(before, key = null) {
    const at = this.now();
    const same = key !== null && key === this.lastKey && at - this.lastAt < this.coalesceMs;
    this.lastKey = key;
    this.lastAt = at;
    this.future = [];
    if (same) return;
    this.past.push(copy(before));
    if (this.past.length > this.limit) this.past.shift();
  }

  /** The state to go back to (and `current` kept for redo), or null. */
  undo(current) {
    if (!this.past.length) return null;
    this.future.push(copy(current));
    this.lastKey = null;
    return this.past.pop();
  }

  /** The state undone last (and `current` kept for undo), or null. */
  redo(current) {
    if (!this.future.length) return null;
    this.past.push(copy(current));
    this.lastKey = null;
    return this.future.pop();
  }

  get canUndo() {
    return this.past.length > 0;
  }
  get canRedo() {
    return this.future.length > 0;
  }
}
