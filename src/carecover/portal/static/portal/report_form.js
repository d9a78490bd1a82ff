// The backup staffing report form (incidents/report_form.html): no inline
// scripts (the CSP forbids them), nothing sent anywhere.
"use strict";

document.addEventListener("click", (event) => {
  // A click on a member search result fills in the member.
  const pick = event.target.closest("button.pick-member");
  if (!pick) return;
  const values = {
    id_member_first_name: pick.dataset.firstName,
    id_member_last_name: pick.dataset.lastName,
    id_member_date_of_birth: pick.dataset.dateOfBirth,
    id_member_medicaid_id: pick.dataset.medicaidId,
  };
  for (const [id, value] of Object.entries(values)) {
    const input = document.getElementById(id);
    if (input) input.value = value;
  }
  document.getElementById("member-results").replaceChildren();
  document.getElementById("id_incident_date")?.focus();
});

function showExplanationAsterisk() {
  // "Other: explanation" is required only for a reason that needs one.
  const reason = document.getElementById("id_reason");
  const star = document.querySelector('[data-required-when="explanation"]');
  if (!reason || !star) return;
  const needing = (reason.dataset.explain || "").split(" ");
  star.hidden = !needing.includes(reason.value);
}

document.addEventListener("change", (event) => {
  if (event.target.id === "id_reason") showExplanationAsterisk();
});
document.addEventListener("DOMContentLoaded", () => {
  showExplanationAsterisk();
  document.getElementById("error-summary")?.focus();
});
