import type { Metadata } from "next";
import { SignUpForm } from "@/features/auth/signup-form";

export const metadata: Metadata = { title: "Create your clinic account" };

export default function SignUpPage() {
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Create your clinic account</h1>
        <p className="mt-2 text-sm text-fg-muted">Set up Voxanne for your clinic in a minute. You can invite your team afterwards.</p>
      </div>
      <SignUpForm />
    </>
  );
}
