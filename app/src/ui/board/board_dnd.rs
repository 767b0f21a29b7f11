//! Moving cards by hand. A pointer (mouse, pen, or a finger on the card's grip) presses a
//! card, drags it past a few pixels, and drops it over a column; the keyboard picks the card
//! up with Space or Enter, chooses the column with the arrow keys, drops it with Space or
//! Enter and cancels with Escape. Both end in [`BoardState::drop_here`].

use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::prelude::*;

use crate::ui::board::board_state::BoardState;

/// Keys on a focused card.
pub fn key_down(state: BoardState, case_id: i64, ev: &KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    // Keys meant for a button inside the card (dismissing a refusal) stay the button's.
    if ev.target() != ev.current_target() {
        return;
    }
    let picked = state.drag.with_untracked(|d| {
        d.as_ref()
            .is_some_and(|d| d.keyboard && d.case_id == case_id)
    });
    match ev.key().as_str() {
        " " | "Enter" | "Spacebar" => {
            ev.prevent_default();
            if picked {
                state.drop_here();
            } else {
                state.pick_up(case_id);
            }
        }
        "ArrowRight" | "ArrowDown" if picked => {
            ev.prevent_default();
            state.step_target(1);
        }
        "ArrowLeft" | "ArrowUp" if picked => {
            ev.prevent_default();
            state.step_target(-1);
        }
        "Escape" if picked => {
            ev.prevent_default();
            ev.stop_propagation();
            state.cancel();
        }
        _ => {}
    }
}

/// Leaving a picked-up card puts it back.
pub fn blur(state: BoardState, case_id: i64) {
    let picked = state.drag.with_untracked(|d| {
        d.as_ref()
            .is_some_and(|d| d.keyboard && d.case_id == case_id)
    });
    if picked && state.asking_return.with_untracked(Option::is_none) {
        state.cancel();
    }
}

#[cfg(feature = "hydrate")]
mod pointer {
    use std::cell::RefCell;

    use leptos::ev::PointerEvent;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement};

    use crate::domain::catalog::StepCode;
    use crate::ui::board::board_state::{BoardState, Drag, Target};

    /// How far a press moves before it is a drag (a shorter one is a click).
    const THRESHOLD_PX: f64 = 5.0;

    struct Press {
        case_id: i64,
        pointer: i32,
        x: f64,
        y: f64,
        dragging: bool,
        element: HtmlElement,
    }

    thread_local! {
        static PRESS: RefCell<Option<Press>> = const { RefCell::new(None) };
        /// A drag just ended: the click that follows it is not a click on the title link.
        static DRAGGED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub fn just_dragged() -> bool {
        DRAGGED.with(|d| d.replace(false))
    }

    fn element_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
        target?.dyn_into::<Element>().ok()
    }

    pub fn down(state: BoardState, case_id: i64, ev: &PointerEvent) {
        DRAGGED.with(|d| d.set(false));
        if ev.button() != 0 || !ev.is_primary() {
            return;
        }
        let Some(target) = element_of(ev.target()) else {
            return;
        };
        let on_grip = target
            .closest(".board-card__handle")
            .ok()
            .flatten()
            .is_some();
        // A finger scrolls the board unless it holds the grip; buttons inside a card stay
        // buttons. The card's title link drags the card too (a press that does not move is
        // a click on it).
        if ev.pointer_type() == "touch" && !on_grip {
            return;
        }
        if !on_grip
            && target
                .closest("button, a:not(.board-card__open), input, textarea, select")
                .ok()
                .flatten()
                .is_some()
        {
            return;
        }
        let Some(element) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        if state.pending.with_untracked(|p| p.contains(&case_id)) {
            return;
        }
        // A finger on the grip is captured at once (the browser would otherwise take the
        // gesture for a scroll); a mouse only once the press becomes a drag, so that a click
        // still reaches the title link.
        if on_grip {
            let _ = element.set_pointer_capture(ev.pointer_id());
        }
        if on_grip {
            ev.prevent_default();
        }
        PRESS.with_borrow_mut(|p| {
            *p = Some(Press {
                case_id,
                pointer: ev.pointer_id(),
                x: f64::from(ev.client_x()),
                y: f64::from(ev.client_y()),
                dragging: false,
                element,
            })
        });
    }

    /// The drop target under the pointer, in the card's own lane.
    fn target_at(x: f64, y: f64, dragged: &HtmlElement, lane: &str) -> Option<Target> {
        let document = web_sys::window()?.document()?;
        let hits = document.elements_from_point(x as f32, y as f32);
        for hit in hits.iter() {
            let Ok(hit) = hit.dyn_into::<Element>() else {
                continue;
            };
            if dragged.contains(Some(&hit)) {
                continue;
            }
            let zone = hit.closest("[data-drop]").ok().flatten()?;
            if zone.get_attribute("data-lane").as_deref() != Some(lane) {
                return None;
            }
            return match zone.get_attribute("data-drop")?.as_str() {
                "done" => Some(Target::Done),
                step => Some(Target::Step(StepCode::new(step))),
            };
        }
        None
    }

    pub fn moved(state: BoardState, ev: &PointerEvent) {
        PRESS.with_borrow_mut(|press| {
            let Some(p) = press.as_mut() else {
                return;
            };
            if p.pointer != ev.pointer_id() {
                return;
            }
            let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
            let (dx, dy) = (x - p.x, y - p.y);
            if !p.dragging {
                // The button was let go outside the card before the press became a drag.
                if ev.buttons() & 1 == 0 {
                    *press = None;
                    return;
                }
                if dx.hypot(dy) < THRESHOLD_PX {
                    return;
                }
                let Some(process) = p.element.closest("[data-lane]").ok().flatten() else {
                    return;
                };
                let process = process.get_attribute("data-lane").unwrap_or_default();
                p.dragging = true;
                let _ = p.element.set_pointer_capture(p.pointer);
                state.drag.set(Some(Drag {
                    case_id: p.case_id,
                    process,
                    target: None,
                    keyboard: false,
                }));
            }
            ev.prevent_default();
            let _ = p.element.style().set_property(
                "transform",
                &format!("translate({dx}px, {dy}px) rotate(1.5deg)"),
            );
            let lane = state
                .drag
                .with_untracked(|d| d.as_ref().map(|d| d.process.clone()))
                .unwrap_or_default();
            match target_at(x, y, &p.element, &lane) {
                Some(target) => state.hover(target),
                None => state.drag.update(|d| {
                    if let Some(d) = d.as_mut().filter(|d| d.target.is_some()) {
                        d.target = None;
                    }
                }),
            }
        });
    }

    fn release(ev: &PointerEvent) -> Option<Press> {
        let press = PRESS.with_borrow_mut(|p| {
            if p.as_ref().is_some_and(|p| p.pointer == ev.pointer_id()) {
                p.take()
            } else {
                None
            }
        })?;
        let _ = press.element.release_pointer_capture(press.pointer);
        let _ = press.element.style().remove_property("transform");
        Some(press)
    }

    pub fn up(state: BoardState, ev: &PointerEvent) {
        if let Some(press) = release(ev) {
            if press.dragging {
                // The click that follows this pointerup (if it lands on the title link) is
                // the end of the drag; anything later is a click of its own.
                DRAGGED.with(|d| d.set(true));
                set_timeout(|| DRAGGED.with(|d| d.set(false)), std::time::Duration::ZERO);
                state.drop_here();
            }
        }
    }

    pub fn cancel(state: BoardState, ev: &PointerEvent) {
        if let Some(press) = release(ev) {
            if press.dragging {
                state.drag.set(None);
            }
        }
    }
}

pub fn pointer_down(state: BoardState, case_id: i64, ev: &PointerEvent) {
    #[cfg(feature = "hydrate")]
    pointer::down(state, case_id, ev);
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, case_id, ev);
}

pub fn pointer_move(state: BoardState, ev: &PointerEvent) {
    #[cfg(feature = "hydrate")]
    pointer::moved(state, ev);
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, ev);
}

pub fn pointer_up(state: BoardState, ev: &PointerEvent) {
    #[cfg(feature = "hydrate")]
    pointer::up(state, ev);
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, ev);
}

pub fn pointer_cancel(state: BoardState, ev: &PointerEvent) {
    #[cfg(feature = "hydrate")]
    pointer::cancel(state, ev);
    #[cfg(not(feature = "hydrate"))]
    let _ = (state, ev);
}

/// A click on a card's title link: it opens the card's drawer, unless it ends a drag.
pub fn title_click(ev: &leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    if ev.detail() > 0 && pointer::just_dragged() {
        ev.prevent_default();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
