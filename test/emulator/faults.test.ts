/** The fault suite (fault-suite.ts) on the mechanism this host detects. */
import { faultSuite } from "./fault-suite.js";

faultSuite();
