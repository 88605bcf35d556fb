import type { Metadata } from "next";
import { AcceptInviteForm } from "@/features/auth/accept-invite-form";

export const metadata: Metadata = { title: "Join your clinic" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AcceptInvitePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Join your clinic on Voxanne</h1>
        <p className="mt-2 text-sm text-fg-muted">Choose your name and password to accept the invite.</p>
      </div>
      <AcceptInviteForm token={first(params.token) ?? ""} />
    </>
  );
}
