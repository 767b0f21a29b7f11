//! The office standard in force.

use app::domain::function::FunctionSummary;
use app::domain::lang::Text;
use app::error::AppError;
use app::ports::CatalogStore;
use async_trait::async_trait;

pub struct BuiltinCatalogStore;

#[async_trait]
impl CatalogStore for BuiltinCatalogStore {
    async fn functions(&self) -> Result<Vec<FunctionSummary>, AppError> {
        const F: [(&str, &str, &str, &str); 13] = [
            (
                "coordination",
                "综合统筹与协调管理",
                "Coordination",
                "#1d4ed8",
            ),
            ("documents", "文书与公文处理", "Documents", "#0f766e"),
            ("meetings", "会议组织与管理", "Meetings", "#7c3aed"),
            (
                "archives",
                "档案与信息管理",
                "Archives and information",
                "#a16207",
            ),
            ("logistics", "行政后勤保障", "Logistics", "#15803d"),
            ("hr", "人力资源基础事务", "Basic HR", "#be185d"),
            (
                "finance",
                "财务收支与资产管理",
                "Finance and assets",
                "#b45309",
            ),
            ("it", "信息化建设与运维", "IT", "#0369a1"),
            (
                "reception",
                "公务接待与外联管理",
                "Reception and external relations",
                "#9333ea",
            ),
            (
                "compliance",
                "合规与风控管理",
                "Compliance and risk",
                "#b91c1c",
            ),
            (
                "culture",
                "企业文化与品牌宣传",
                "Culture and brand",
                "#c2410c",
            ),
            ("emergencies", "应急事务处置", "Emergencies", "#dc2626"),
            (
                "rules",
                "制度建设与流程优化",
                "Rules and process optimisation",
                "#4d7c0f",
            ),
        ];
        Ok(F.iter()
            .enumerate()
            .map(|(i, (code, zh, en, accent))| FunctionSummary {
                code: code.to_string(),
                number: i + 1,
                name: Text::new(*zh, *en),
                positioning: Text::default(),
                accent: accent.to_string(),
            })
            .collect())
    }
}
