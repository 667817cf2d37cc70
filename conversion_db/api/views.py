"""Cross-app API views: API tokens."""

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, JSONParser


@extend_schema(
    tags=["auth"],
    summary="Get an API token / 获取接口令牌",
    description=(
        "Exchange a username and password for a token; send it as "
        "`Authorization: Token <key>` on later requests. The same token is returned until "
        "an operator revokes it in the admin. 用户名和密码换取令牌。"
    ),
)
class ObtainTokenView(ObtainAuthToken):
    parser_classes = (JSONParser, FormParser)
