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
  await expect(lane.locator(".column")).toHaveCount(5);

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
