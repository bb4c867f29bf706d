// One product in a cart or an order, as the contract prints it (schema Line).
export interface Line {
  product_id: number;
  name: string;
  unit_price_cents: number;
  quantity: number;
  line_total_cents: number;
}

export const line = (productId: number, name: string, unitPriceCents: number, quantity: number): Line => ({
  product_id: productId,
  name,
  unit_price_cents: unitPriceCents,
  quantity,
  line_total_cents: unitPriceCents * quantity,
});

export const subtotalCents = (lines: Line[]): number => lines.reduce((sum, l) => sum + l.line_total_cents, 0);
