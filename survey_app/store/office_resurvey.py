"""Re-survey requests (被害認定再調査申請): a household disputes its grade.

The request is written together with the new survey it creates and the old survey's status, so
the chain first survey → request → new survey is never half recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey_app.store.ids import new_id, now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store


class ResurveyRequests:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(self, *, previous_survey: dict, stage: str, requested_on: str, reason: str,
            actor: str, surveyor: str = "", application_id: str | None = None,
            certificate_id: str | None = None) -> dict:
        """Record the request, mark the disputed survey, and create the new survey task."""
        now = now_iso()
        row = {"id": new_id(), "disaster_id": previous_survey["disaster_id"],
               "building_id": previous_survey["building_id"],
               "application_id": application_id, "certificate_id": certificate_id,
               "previous_survey_id": previous_survey["id"], "requested_on": requested_on,
               "reason": reason, "status": "requested", "received_by": actor,
               "created_at": now, "updated_at": now}
        with self.store.atomic():
            surveys = self.store.surveys
            row["new_survey_id"] = surveys.create(
                building_id=previous_survey["building_id"], stage=stage,
                hazard=previous_survey["hazard"], surveyor=surveyor,
                previous_survey_id=previous_survey["id"], actor=actor)
            surveys.set_status(previous_survey["id"], "resurvey_requested", actor=actor,
                               reason=reason)
            self.db["resurvey_requests"].insert(row)
            self.store.audit.append(actor=actor, action="create", entity="resurvey_request",
                                    entity_id=row["id"], payload=row)
        return self.get(row["id"])

    def get(self, request_id: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM resurvey_requests WHERE id = ?", [request_id]))
        return rows[0] if rows else None

    def for_building(self, building_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM resurvey_requests WHERE building_id = ? ORDER BY created_at",
            [building_id]))

    def open_for_survey(self, previous_survey_id: str) -> dict | None:
        rows = list(self.db.query(
            "SELECT * FROM resurvey_requests WHERE previous_survey_id = ?"
            " AND status = 'requested'", [previous_survey_id]))
        return rows[0] if rows else None

    def close(self, request_id: str, *, status: str, actor: str,
              certificate_id: str | None = None) -> None:
        with self.store.atomic():
            self.db.execute(
                "UPDATE resurvey_requests SET status = ?, reissued_certificate_id = ?,"
                " updated_at = ? WHERE id = ?", [status, certificate_id, now_iso(), request_id])
            self.store.audit.append(actor=actor, action=status, entity="resurvey_request",
                                    entity_id=request_id,
                                    payload={"certificate_id": certificate_id})
