"""Request bodies, validated by pydantic (they also make the OpenAPI document). Push items are
validated one by one, so one bad item is refused alone and the rest of the batch goes on."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from survey_app.sync.protocol import MAX_PAGE, MAX_REV

Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                                r"[0-9a-f]{4}-[0-9a-f]{12}$")]
Sha = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Text = Annotated[str, StringConstraints(max_length=2000)]
Short = Annotated[str, StringConstraints(max_length=200)]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DisasterItem(_Item):
    kind: Literal["disaster"]
    id: Uuid
    name: Short
    hazard: Short
    occurred_on: Short
    municipality_name: Short = ""


class BuildingItem(_Item):
    kind: Literal["building"]
    id: Uuid
    disaster_id: Uuid
    fields: dict[str, Any]
    base: dict[str, Any] | None = None
    created_at: Short = ""


class SurveyItem(_Item):
    kind: Literal["survey"]
    id: Uuid
    building_id: Uuid
    stage: Literal["first", "second", "resurvey"]
    hazard: Short
    surveyor: Short = ""
    previous_survey_id: Uuid | None = None
    created_at: Short = ""


class VersionItem(_Item):
    kind: Literal["version"]
    id: Uuid
    survey_id: Uuid
    base_version_id: Uuid | None
    observations: dict[str, Any]
    judgement: dict[str, Any]
    explanation: list[Any] = []
    form_hash: Short | None = None
    author: Short = ""
    reason: Text = ""
    created_at: Short
    content_hash: Sha
    photos: list[Sha] = Field(default_factory=list, max_length=2000)


class PhotoLinkItem(_Item):
    kind: Literal["photo_link"]
    survey_id: Uuid
    sha256: Sha
    tag: Short = ""
    note: Text = ""
    meta: dict[str, Any] = {}
    thumbnail: str | None = Field(default=None, max_length=400_000)


class StatusItem(_Item):
    kind: Literal["status"]
    survey_id: Uuid
    status: Literal["unsurveyed", "draft", "completed", "resurvey_requested"]
    reason: Text = ""


PushItem = Annotated[DisasterItem | BuildingItem | SurveyItem | VersionItem | PhotoLinkItem
                     | StatusItem, Field(discriminator="kind")]


class PullAsk(BaseModel):
    """The first page of GET /changes, asked for in the push that ends a laptop's sending."""
    since: int = Field(ge=0, le=MAX_REV)
    limit: int = Field(250, ge=1, le=MAX_PAGE)
    summary: bool = False


class PushBody(BaseModel):
    items: list[dict[str, Any]] = Field(max_length=500)
    # One request fewer per sync: the reply also carries that page (under "changes").
    pull: PullAsk | None = None


class Login(BaseModel):
    username: Short
    password: Annotated[str, StringConstraints(max_length=1024)]


class NewUser(BaseModel):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64,
                                               pattern=r"^[^\s,、，]+$")]
    password: Annotated[str, StringConstraints(min_length=8, max_length=1024)]
    role: Literal["surveyor", "office", "admin"]


class Shas(BaseModel):
    shas: list[Sha] = Field(max_length=1000)


class NewUpload(BaseModel):
    sha256: Sha
    size: int = Field(ge=0, le=1 << 31)


class Have(BaseModel):
    kind: Literal["buildings", "surveys", "versions", "links"]
    ids: list[Annotated[str, StringConstraints(max_length=200)]] = Field(max_length=1000)


class Resolve(BaseModel):
    choice: Literal["ours", "theirs", "merged"]
    resolution_version_id: Uuid | None = None
    base_version_id: Uuid | None = None
    observations: dict[str, Any] | None = None
    judgement: dict[str, Any] | None = None
    explanation: list[Any] | None = None
    fields: dict[str, Any] | None = None
    reason: Text = ""
