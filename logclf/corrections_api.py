"""HTTP routes for corrections: store one, list them, undo one, export them for the CLI or training.

The store lives in `app.state.corrections` (created in the server's `lifespan`); the server includes
this router behind its API-key dependency.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from logclf.corrections import Correction, CorrectionStore, export_csv, export_yaml
from logclf.errors import UserError

router = APIRouter(tags=["corrections"])
SQLITE_MAX_INT = 2**63 - 1  # ids are SQLite integers; a larger one cannot exist (and must not reach SQLite)


class CorrectionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"source": "ModernCRM", "log_message": "Export job 4411 failed: timeout writing to bucket", "target_label": "Error"}
            ]
        }
    )
    source: str | None = Field(None, max_length=200, description="The source it applies to; null or `*` = every source.")
    log_message: str = Field(max_length=20_000, description="A line with the wrong label; every line of its template follows.")
    target_label: str = Field(max_length=100, description="The right label (one of GET /labels).")


class CorrectionOut(BaseModel):
    id: int
    source: str = Field(description="`*` = every source.")
    log_message: str
    template: str = Field(description="The masked template the correction matches.")
    target_label: str
    created: float = Field(description="Unix time of the last change.")

    @classmethod
    def of(cls, c: Correction) -> CorrectionOut:
        return cls(id=c.id, source=c.source, log_message=c.log_message, template=c.template, target_label=c.target_label, created=c.created)


class CorrectionList(BaseModel):
    count: int
    corrections: list[CorrectionOut]


def corrections_store(request: Request) -> CorrectionStore:
    return request.app.state.corrections


Store = Annotated[CorrectionStore, Depends(corrections_store)]


@router.post(
    "/corrections",
    status_code=201,
    summary="Correct a label",
    responses={422: {"description": "Unknown label (the message lists the allowed ones), empty log_message, or an invalid body."}},
)
def add_correction(body: CorrectionIn, store: Store) -> CorrectionOut:
    """Every later line with the same masked template (and source, unless `*`) gets `target_label`,
    with `classified_by=override`. Correcting the same template again replaces its label."""
    try:
        return CorrectionOut.of(store.add(body.source, body.log_message, body.target_label))
    except UserError as exc:
        raise HTTPException(exc.http_status, str(exc)) from None


@router.get("/corrections", summary="List the corrections")
def list_corrections(store: Store) -> CorrectionList:
    corrections = [CorrectionOut.of(c) for c in store.list()]
    return CorrectionList(count=len(corrections), corrections=corrections)


@router.delete(
    "/corrections/{correction_id}", status_code=204, summary="Undo a correction", responses={404: {"description": "No such id."}}
)
def delete_correction(correction_id: Annotated[int, Path(ge=1, le=SQLITE_MAX_INT)], store: Store) -> Response:
    if not store.delete(correction_id):
        raise HTTPException(404, f"no correction with id {correction_id}")
    return Response(status_code=204)


@router.get(
    "/corrections/export",
    summary="Export the corrections",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/yaml": {
                    "example": "overrides:\n- source: ModernCRM\n  log_message: Export job 4411 failed\n  target_label: Error\n"
                },
                "text/csv": {"example": "source,log_message,target_label\nModernCRM,Export job 4411 failed,Error\n"},
            },
            "description": "YAML for `logclf --overrides FILE`, or (format=csv) a labelled CSV for `logclf train --corrections FILE`.",
        }
    },
)
def export_corrections(
    store: Store,
    format: Annotated[Literal["yaml", "csv"], Query(description="yaml (overrides file) or csv (training data).")] = "yaml",
) -> Response:
    corrections = store.list()
    if format == "csv":
        body, media, name = export_csv(corrections), "text/csv; charset=utf-8", "corrections.csv"
    else:
        body, media, name = export_yaml(corrections), "application/yaml; charset=utf-8", "overrides.yaml"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
