"""Matching endpoints: IPC suggestions for free text, and similar patents. Thin: parse,
call the engine (``enterprises.matching``), render."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conversion_db.api.schema import ERROR_RESPONSES
from enterprises.api import matching_examples
from enterprises.api.matching_serializers import (
    ERROR_NOTHING_SPECIFIC,
    IpcSuggestionSerializer,
    SimilarPatentSerializer,
    SimilarQuerySerializer,
    SuggestIpcQuerySerializer,
    similar_row,
)
from enterprises.matching.ipc_suggestions import suggest_ipc
from enterprises.matching.matches import similar_patents
from enterprises.matching.terms import query_terms
from patents.models import Patent
from patents.register.selectors import patent_list_for_api


class SuggestIpcView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Suggest IPC codes for a text / 为技术描述推荐 IPC 分类",
        description=(
            "IPC subclasses and main groups for a free-text description of a technology "
            "(Chinese and/or English), best first. `method` says which method answered: "
            "`model`, a linear classifier over the text's character n-grams trained on the "
            "patents and the IPC scheme's titles (`manage.py train_ipc_model`; `seed` builds "
            "it), gives the subclasses (`score`: its softmax share) and the statistics rank "
            "main groups inside them; with no trained model, or for a text the model is "
            "unsure of, `statistics`: every term of the text (words, Chinese character "
            "pairs, English words by their stem) votes for the codes it occurs with in the "
            "patents and in the titles of the IPC scheme, weighted by how specific it is "
            "(rebuilt by `manage.py build_ipc_statistics`); while they are not built either, "
            "`neighbours`: the patents whose text best matches vote. `score` is a code's "
            "share of the evidence (a main group's is at most its subclass's) and "
            "`supporting_patents` "
            "how many patents carrying it share a term with the text. Text that is empty, "
            "longer than 500 characters or only patent boilerplate and demand phrasing (一种, "
            "我公司需要, 相关技术 ...) is a 400 on `text`; "
            "`limit` outside 1-50 is a 400 on `limit`. "
            "由训练的分类模型（无模型或把握不足时由词语与分类的统计）推荐小类和大组；"
            "文本为空、过长或仅含套话和需求用语时返回 400。"
        ),
        tags=["ipc"],
        parameters=[SuggestIpcQuerySerializer],
        responses={200: IpcSuggestionSerializer(many=True), 400: ERROR_RESPONSES[400]},
        examples=[matching_examples.SUGGEST],
    )
    def get(self, request: Request) -> Response:
        params = SuggestIpcQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        text = params.validated_data["text"]
        if not query_terms(text):
            raise ValidationError(
                {"text": ValidationError(ERROR_NOTHING_SPECIFIC, code="query_too_common")}
            )
        suggestions = suggest_ipc(text, limit=params.validated_data["limit"])
        return Response([suggestion.as_json() for suggestion in suggestions])


class SimilarPatentsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Patents similar to one patent / 相似专利",
        description=(
            "Live patents like this one (by its title, keywords, abstract and IPC codes), "
            "itself excluded, best first, each with its summary and the explanation of its "
            "score: the components (text, IPC closeness, offer, remaining life, legal status, "
            "high-value) with their weights, the matched terms and a one-line reason in "
            "English and Chinese. Lapsed, expired, invalidated, withdrawn and rejected patents "
            "are never suggested. Unknown or deleted patent: 404; `limit` outside 1-50: 400. "
            "按标题、关键词、摘要与分类查找相似的有效专利，并逐项说明得分。"
        ),
        tags=["patents"],
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Patent id. 专利 ID。"),
            SimilarQuerySerializer,
        ],
        responses={200: SimilarPatentSerializer(many=True), 400: ERROR_RESPONSES[400]},
        examples=[matching_examples.SIMILAR],
    )
    def get(self, request: Request, pk: int) -> Response:
        params = SimilarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        if not Patent.objects.filter(pk=pk).exists():
            raise Http404
        found = similar_patents(pk, limit=params.validated_data["limit"])
        patents = patent_list_for_api().in_bulk([match.patent_id for match in found])
        rows = [
            similar_row(patents[match.patent_id], match.as_json())
            for match in found
            if match.patent_id in patents
        ]
        return Response(rows)
