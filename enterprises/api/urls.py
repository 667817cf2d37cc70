from rest_framework.routers import SimpleRouter

from enterprises.api.saved_search_views import SavedSearchViewSet

router = SimpleRouter()
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

urlpatterns = router.urls
