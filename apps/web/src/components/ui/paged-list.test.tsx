import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { PagedList, type ListPage, type PageQuery } from "./paged-list.tsx";

function pageQuery(overrides: Partial<PageQuery<string>> = {}): PageQuery<string> {
  return {
    data: undefined,
    isPending: false,
    isError: false,
    error: null,
    isPlaceholderData: false,
    refetch: vi.fn(),
    ...overrides,
  };
}

function page(items: string[], overrides: Partial<ListPage<string>> = {}): ListPage<string> {
  return { items, page: 1, pageSize: 25, total: items.length, ...overrides };
}

function renderList(query: PageQuery<string>, props: { isPaginationHiddenOnOnePage?: boolean } = {}) {
  const onPageChange = vi.fn();
  render(
    <PagedList
      query={query}
      loadingLabel="Loading fruit"
      errorTitle="The fruit could not be loaded"
      empty={{ title: "No fruit yet", body: <p>Plant a tree.</p> }}
      onPageChange={onPageChange}
      {...props}
    >
      {(items, isUpdating) => (
        <ul aria-label="Fruit" aria-busy={isUpdating}>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </PagedList>,
  );
  return { onPageChange };
}

describe("paged list", () => {
  it("shows the list's loading label while the first page loads", () => {
    renderList(pageQuery({ isPending: true }));

    expect(screen.getByRole("status")).toHaveTextContent("Loading fruit");
    expect(screen.queryByRole("list")).not.toBeInTheDocument();
  });

  it("shows a failed first load with the list's title and a retry", async () => {
    const query = pageQuery({ isError: true, error: new Error("Network down") });
    renderList(query);

    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("The fruit could not be loaded");
    expect(alert).toHaveTextContent("Network down");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(query.refetch).toHaveBeenCalledOnce();
  });

  it("shows the list's own empty state for an empty page", () => {
    renderList(pageQuery({ data: page([]) }));

    expect(screen.getByText("No fruit yet")).toBeInTheDocument();
    expect(screen.getByText("Plant a tree.")).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Pagination" })).not.toBeInTheDocument();
  });

  it("renders the items, busy while the next page loads behind them, with the pagination below", async () => {
    const { onPageChange } = renderList(
      pageQuery({ data: page(["apple", "pear"], { total: 30 }), isPlaceholderData: true }),
    );

    expect(screen.getByRole("list", { name: "Fruit" })).toHaveAttribute("aria-busy", "true");
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual(["apple", "pear"]);
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(onPageChange).toHaveBeenCalledWith(2);
  });

  it("says about for an estimated total and keeps Next while pages are full, past the estimate too", async () => {
    const { onPageChange } = renderList(
      pageQuery({ data: page(["apple", "pear"], { page: 3, pageSize: 2, total: 5, totalIsEstimate: true }) }),
    );

    expect(screen.getByText(/5–6 of about\s+5/)).toBeInTheDocument();
    expect(screen.getByText(/Page 3 of about\s+3/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(onPageChange).toHaveBeenCalledWith(4);
  });

  it("leaves the pagination out while everything fits one page, if the list asks so", () => {
    renderList(pageQuery({ data: page(["apple"]) }), { isPaginationHiddenOnOnePage: true });

    expect(screen.getByRole("list", { name: "Fruit" })).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Pagination" })).not.toBeInTheDocument();
  });
});
