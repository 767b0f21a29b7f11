// Starts the built OfficeFlow server on a free port with its own data folder, for one spec.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";

const root = resolve(__dirname, "..", "..");
const binary = process.env.OFFICEFLOW_BIN || join(root, "target", "release", "officeflow");
const siteRoot = process.env.OFFICEFLOW_SITE_ROOT || join(root, "target", "site");

/** The first administrator's password in the test servers. */
export const ADMIN_PASSWORD = "e2e-admin-password";
/** Every demo user's password (one user per role, login = the role's code). */
export const DEMO_PASSWORD = "officeflow-demo";

/** Signs the page in through the sign-in form and waits for the page it lands on. */
export async function signIn(page: Page, base: string, login: string, password = DEMO_PASSWORD, next = "/inbox") {
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await page.fill("#login", login);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}${next}`);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
}

/**
 * Signs the API request context in as the document clerk and registers an incoming document
 * received three days ago (its same-day first step is overdue at once); answers its case id.
 */
export async function raiseOverdueDocument(request: APIRequestContext, base: string, title: string, department: string | null = null, daysAgo = 3): Promise<number> {
  const signedIn = await request.post(`${base}/api/auth/sign-in`, {
    data: { login: "document_clerk", password: DEMO_PASSWORD },
  });
  if (signedIn.status() !== 200) throw new Error(`sign-in answered ${signedIn.status()}`);
  const received = new Date(Date.now() - daysAgo * 24 * 3600 * 1000);
  let local = new Date(received.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
  // Days back, at 10:00 Beijing time: the same-day step's deadline (that evening, or the next
  // working day's when that day was not one) has passed whatever the hour the test runs. At
  // the hour itself, a document received after hours on a Thursday was not yet overdue on a
  // Sunday evening.
  if (daysAgo >= 2) local = `${local.slice(0, 10)}T10:00`;
  const raised = await request.post(`${base}/api/cases/raise`, {
    data: {
      process: "incoming_document",
      title,
      department,
      form: { received_at: local, issuer: "市政府办公厅", title: "年末安全检查" },
    },
  });
  if (raised.status() !== 200) throw new Error(`raise answered ${raised.status()}: ${await raised.text()}`);
  return (await raised.json()).case.id;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

export class OfficeFlowServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), "officeflow-e2e-"));
  port = 0;
  /** The database (a PostgreSQL URL for several instances on one database), else SQLite. */
  constructor(
    readonly databaseUrl = process.env.E2E_DATABASE_URL || "",
    /** Extra environment for the server (e.g. a slower scheduler for measurements). */
    readonly env: Record<string, string> = {},
  ) {}
  private child?: ChildProcess;
  private log = "";

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.log = "";
    const child = spawn(binary, ["serve"], {
      env: {
        ...process.env,
        OFFICEFLOW_BIND: `127.0.0.1:${this.port}`,
        OFFICEFLOW_DATA_DIR: this.dataDir,
        OFFICEFLOW_SITE_ROOT: siteRoot,
        OFFICEFLOW_LOG: "warn",
        OFFICEFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        OFFICEFLOW_SCHEDULER_EVERY: "1",
        DATABASE_URL: this.databaseUrl,
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => (this.log += d));
    child.stderr?.on("data", (d) => (this.log += d));
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`officeflow exited early:\n${this.log}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`officeflow did not become healthy within 30 s:\n${this.log}`);
  }

  /** Stops the server gracefully (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Completes the step a case is at through the API, as whoever `request` is signed in as. The
 * server's scheduler may change the case in between (an overdue step is escalated, which
 * bumps its version): a conflict is retried at the version it names, as a client should.
 */
export async function completeStep(request: APIRequestContext, base: string, id: number, step: string): Promise<void> {
  const got = await request.post(`${base}/api/cases/get`, { data: { id } });
  let version = (await got.json()).case.version;
  for (let attempt = 0; ; attempt++) {
    const done = await request.post(`${base}/api/cases/apply`, {
      data: { id, version, command: { op: "complete_step", step } },
    });
    if (done.status() === 200) return;
    const text = await done.text();
    if (done.status() === 409 && attempt < 3) {
      version = JSON.parse(text).current_version;
      continue;
    }
    throw new Error(`completing ${step} answered ${done.status()}: ${text}`);
  }
}

/** Drags `from` onto `to` with the mouse, in small steps as a hand would. */
export async function dragWithMouse(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 4, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}
