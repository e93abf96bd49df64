#!/usr/bin/env node
// The fundsim command. The sources are TypeScript; tsx compiles them on load so that the same
// src/ the tests and pages use is what runs (no separate build step after npm install).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
