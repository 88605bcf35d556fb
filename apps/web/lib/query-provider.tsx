"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createQueryClient } from "./query";

/**
 * The dashboard's query cache. It lives as long as the signed-in dashboard: signing out leaves
 * the dashboard layout, and the next sign-in starts with an empty cache.
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
