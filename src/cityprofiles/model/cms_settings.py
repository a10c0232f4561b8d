"""The ``cms:`` section of ``site.yaml``: the Git host staff edit through, and the editor's language.

Without a ``backend``, editing happens only on an editor's own machine through
``cityprofiles serve`` and no ``/admin/`` is published. With one, ``build`` publishes
``/admin/`` configured for that host with the editorial workflow: each change becomes a
pull (merge) request that CI checks before anyone merges it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cityprofiles.model.fields import LANG_PATTERN, Model, Url

REPO_PATTERN = r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+$"


class GitBackend(Model):
    """Where the content repository lives and how editors sign in to it."""

    name: Literal["github", "gitlab"] = Field(description="The Git host: github or gitlab")
    repo: str = Field(
        pattern=REPO_PATTERN, description="The repository, e.g. gemeente-utrecht/cityprofiles"
    )
    branch: str = Field("main", min_length=1, description="The branch the site is built from")
    base_url: Url | None = Field(
        None,
        description="GitHub: the address of your OAuth sign-in service "
        "(e.g. https://auth.example.org); GitLab: the GitLab address if not gitlab.com",
    )
    auth_endpoint: str | None = Field(
        None, description="Path of the sign-in service under base_url (default: auth)"
    )
    api_root: Url | None = Field(
        None,
        description="API address of a self-hosted Git host, e.g. https://git.example.org/api/v4",
    )
    app_id: str | None = Field(
        None, min_length=1, description="GitLab: the application id of the OAuth application"
    )
    auth_type: Literal["pkce", "implicit"] | None = Field(
        None, description="GitLab: pkce (recommended, no server needed) or implicit"
    )

    @model_validator(mode="after")
    def _complete(self) -> GitBackend:
        if self.name == "github" and self.base_url is None:
            raise PydanticCustomError(
                "cms_auth",
                "GitHub sign-in needs base_url: the address of your OAuth sign-in service "
                "(docs/editing.md explains how to set one up)",
            )
        if self.name == "gitlab" and self.app_id is None:
            raise PydanticCustomError(
                "cms_auth",
                "GitLab sign-in needs app_id: the application id of an OAuth application "
                "in GitLab (docs/editing.md explains how to make one)",
            )
        return self

    def decap(self) -> dict[str, object]:
        """The ``backend`` section of Decap's configuration."""
        section: dict[str, object] = {"name": self.name, "repo": self.repo, "branch": self.branch}
        for key in ("base_url", "auth_endpoint", "api_root", "app_id"):
            value = getattr(self, key)
            if value is not None:
                section[key] = value
        if self.name == "gitlab":
            section["auth_type"] = self.auth_type or "pkce"
        return section

    def origins(self) -> list[str]:
        """The addresses the editor talks to (for ``/admin/``'s Content-Security-Policy)."""
        from urllib.parse import urlsplit

        default_api = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}[
            self.name
        ]
        found = []
        for url in (self.api_root or default_api, self.base_url):
            if url:
                parts = urlsplit(url)
                found.append(f"{parts.scheme}://{parts.netloc}")
        return sorted(set(found))


class CmsSettings(Model):
    """``cms:`` in site.yaml: editing in the browser (docs/editing.md)."""

    backend: GitBackend | None = Field(
        None, description="The Git host to edit through; without it no /admin/ is published"
    )
    locale: str | None = Field(
        None,
        pattern=LANG_PATTERN,
        description="Default language of the editor's interface, e.g. nl "
        "(default: the site's default language); each editor can choose another",
    )
