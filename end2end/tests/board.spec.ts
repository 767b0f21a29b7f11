// The function's board: a lane per process, a column per step, open cases as cards with their
// owner, due time and SLA state; only what the viewer may see.
import { expect, test } from "@playwright/test";
import { OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("the documents board shows a raised document in its first column, overdue in red words", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "<b>市政府办公厅</b> 来文", "市场部");

  await signIn(page, server.url, "document_clerk", undefined, "/functions/documents/board");
  const lane = page.locator('details.lane[data-process="incoming_document"]');
  await expect(lane).toHaveAttribute("open", "");
  const card = lane.locator(`.column[data-step="sign_and_number"] .board-card[data-case="${id}"]`);
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute("data-sla", "overdue");
  await expect(card.locator(".sla")).toHaveText("已超时");
  await expect(card.locator(".board-card__left")).toContainText("已超时");
  await expect(card).toContainText("公文文员");
  // The title is text, never markup.
  await expect(card.locator(".board-card__title")).toHaveText("<b>市政府办公厅</b> 来文");
  await expect(lane.locator(".column[data-step]")).toHaveCount(5);
  await expect(lane.locator(".column--done")).toHaveCount(1);

  // In English the same card reads in English.
  await page.getByRole("button", { name: "English" }).click();
  await expect(card.locator(".sla")).toHaveText("Overdue");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Board");

  // Someone of another function does not see the case.
  await page.context().clearCookies();
  await signIn(page, server.url, "logistics_clerk", undefined, "/functions/documents/board");
  await expect(page.locator(`.board-card[data-case="${id}"]`)).toHaveCount(0);
});

test("the board asks to sign in first", async ({ page }) => {
  await page.goto(`${server.url}/functions/documents/board`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByText("登录后可查看本职能的看板。")).toBeVisible();
});

test("filters narrow the board and live in the address, so a filtered board is a link", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "筛选用的来文 zebra", "财务部");
  await signIn(page, server.url, "director", undefined, "/functions/documents/board");
  const cards = page.locator(".board-card");
  const all = await cards.count();
  expect(all).toBeGreaterThan(1);

  await page.goto(`${server.url}/functions/documents/board?q=zebra`);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await expect(cards).toHaveCount(1);
  await expect(page.locator(`.board-card[data-case="${id}"]`)).toBeVisible();
  await expect(page.getByTestId("board-shown")).toHaveText(`显示 1 / ${all} 件`);
  await page.getByRole("button", { name: "清除筛选" }).click();
  await expect(page).toHaveURL(/\/functions\/documents\/board$/);
  await expect(cards).toHaveCount(all);

  await page.getByRole("button", { name: "已超时", exact: true }).click();
  await expect(page).toHaveURL(/overdue=1/);
  await expect(page.getByRole("button", { name: "已超时", exact: true })).toHaveAttribute("aria-pressed", "true");
  const overdue = await cards.count();
  expect(overdue).toBeGreaterThan(0);
  expect(overdue).toBeLessThan(all);
  for (const sla of await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-sla")))) {
    expect(sla).toBe("overdue");
  }
  await page.getByLabel("部门", { exact: true }).selectOption("财务部");
  await expect(page).toHaveURL(/department=%E8%B4%A2%E5%8A%A1%E9%83%A8/);
  await expect(page.locator(`.board-card[data-case="${id}"]`)).toBeVisible();
  for (const meta of await cards.locator(".board-card__meta").allTextContents()) {
    expect(meta).toContain("财务部");
  }
  await page.getByLabel("流程", { exact: true }).selectOption("outgoing_document");
  await expect(page.locator(`.board-card[data-case="${id}"]`)).toHaveCount(0);
  await expect(page.locator('details.lane[data-process="incoming_document"]')).toBeHidden();
  await expect(page.locator('details.lane[data-process="outgoing_document"]')).toBeVisible();
  const shown = await cards.count();

  // The same address in a fresh page shows the same board.
  const shared = page.url();
  await page.goto(shared);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await expect(cards).toHaveCount(shown);
  await expect(page.getByLabel("部门", { exact: true })).toHaveValue("财务部");
  await expect(page.getByRole("button", { name: "已超时", exact: true })).toHaveAttribute("aria-pressed", "true");
});
