// Worker threads start here: tsx compiles the TypeScript worker on load, as bin/fundsim.js does.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
